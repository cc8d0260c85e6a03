package org.vmm4j.it.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.LaunchException;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.StartPhase;
import org.vmm4j.core.internal.vm.Dirs;
import org.vmm4j.network.testing.CniFixture;
import org.vmm4j.persist.FsStore;

/**
 * A launch with {@code --netns} that fails after the endpoints were attached (just before {@code
 * cont}): QEMU is killed, nothing of the sandbox is left, and the pod namespace is given back
 * exactly (no tap, qdisc or filter; the veth as the plugin made it). No guest boots.
 */
class NetworkLaunchFailureIT {
  Path root;
  CniFixture cni;

  @BeforeEach
  void setUp() throws Exception {
    cni = new CniFixture("lf");
    root = Files.createTempDirectory("vmm4j-netfail");
  }

  @AfterEach
  void tearDown() throws Exception {
    cni.close();
    Dirs.deleteTree(root);
  }

  @Test
  void aLaunchFailingAfterTheAttachGivesTheNamespaceBack() throws Exception {
    CniFixture.State before = cni.settledPodState();
    FsStore store = new FsStore(root);
    AtomicLong qemu = new AtomicLong();
    SandboxOptions failBeforeCont =
        SandboxOptions.defaults()
            .withStartObserver(
                (phase, pid) -> {
                  if (phase == StartPhase.BEFORE_CONT) {
                    qemu.set(pid);
                    // the endpoint is attached and recorded by now
                    assertThat(cni.podState().links()).anyMatch(l -> l.name().equals("tap0_kata"));
                    throw new IllegalStateException("stop here");
                  }
                });
    assertThatThrownBy(
            () ->
                Sandbox.start(
                    store,
                    NetFixture.spec(
                            "netfail", NetFixture.config().editKata(k -> k.defaultBridges(1)))
                        .withNetNsPath(cni.pod.path().toString()),
                    failBeforeCont))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("stop here");
    assertThat(qemu.get()).isPositive();
    assertThat(ProcessHandle.of(qemu.get()).map(ProcessHandle::isAlive))
        .isNotEqualTo(java.util.Optional.of(true));
    assertThat(store.exists("netfail")).isFalse();
    assertThat(store.vmDir("netfail")).doesNotExist();
    assertThat(cni.settledPodState()).isEqualTo(before);
  }
}
