package org.vmm4j.it.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import org.vmm4j.persist.FsStore;
import org.vmm4j.testing.network.CniFixture;

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
    assumeTrue(CniFixture.unavailable().isEmpty(), CniFixture.unavailable().orElse(""));
    cni = new CniFixture("lf");
    root = Files.createTempDirectory("vmm4j-netfail");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (cni != null) {
      cni.close();
    }
    if (root != null) {
      Dirs.deleteTree(root);
    }
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
                        .withNetNsPath(cni.podPath().toString()),
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
