package org.vmm4j.it.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.InvalidRequestException;
import org.vmm4j.core.api.LaunchException;
import org.vmm4j.core.api.SandboxExistsException;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.StartPhase;
import org.vmm4j.core.internal.vm.Dirs;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.InvalidNameException;

/**
 * Starts that fail give an error naming the sandbox and quoting QEMU's own output, and leave no
 * QEMU, no VM or shared directory and no state behind. No guest boots here.
 */
class LaunchFailureIT {
  Path root;
  FsStore store;

  @BeforeEach
  void setUp() throws Exception {
    Fixture.guest();
    root = Files.createTempDirectory("vmm4j-fail");
    store = new FsStore(root);
  }

  @AfterEach
  void tearDown() {
    Dirs.deleteTree(root);
  }

  void assertNothingLeft(String id) throws Exception {
    assertThat(Fixture.qemusOf(store, id)).as("QEMU processes of %s", id).isEmpty();
    assertThat(store.exists(id)).isFalse();
    assertThat(store.vmDir(id)).doesNotExist();
    assertThat(root.resolve("shared/sandboxes").resolve(id)).doesNotExist();
  }

  @Test
  void aFileThatIsNotAKernelIsRefusedBeforeLaunching() throws Exception {
    // QEMU would exit with "qemu: linux kernel too old to load a ram disk" (QemuLimitsIT)
    Path bad = root.resolve("not-a-kernel");
    byte[] junk = new byte[64 * 1024];
    new Random(1).nextBytes(junk);
    Files.write(bad, junk);
    var config = Fixture.config("q35", 1, 256).editKata(k -> k.kernelPath(bad.toString()));
    assertThatThrownBy(() -> Sandbox.start(store, Fixture.spec("badkernel", config)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("HypervisorConfig: KernelPath=" + bad)
        .hasMessageContaining("boot protocol 2.00 or later");
    assertNothingLeft("badkernel");
    assertThat(root.resolve("locks")).as("not even a lock file").doesNotExist();
  }

  @Test
  void anOptionQemuRefuses() throws Exception {
    var config =
        Fixture.config("pc", 1, 256).editKata(k -> k.machineAccelerators("no-such-property=on"));
    assertThatThrownBy(() -> Sandbox.start(store, Fixture.spec("badoption", config)))
        .isInstanceOf(LaunchException.class)
        .hasMessageStartingWith("start sandbox badoption: QEMU pid ")
        .hasMessageContaining("no-such-property");
    assertNothingLeft("badoption");
  }

  @Test
  void qemuKilledDuringStart() throws Exception {
    SandboxOptions killAtConnect =
        SandboxOptions.defaults()
            .withStartObserver(
                (phase, pid) -> {
                  if (phase == StartPhase.QMP_CONNECTED) {
                    try {
                      Fixture.signal(pid, "KILL");
                    } catch (Exception e) {
                      throw new AssertionError(e);
                    }
                  }
                });
    var config = Fixture.config("q35", 1, 256);
    assertThatThrownBy(() -> Sandbox.start(store, Fixture.spec("killed", config), killAtConnect))
        .isInstanceOf(LaunchException.class)
        .hasMessageStartingWith("start sandbox killed: QEMU pid ")
        .hasMessageContaining("killed by signal 9 during start");
    assertNothingLeft("killed");
  }

  @Test
  void aFailedStepAfterQemuIsUpKillsIt() throws Exception {
    SandboxOptions failBeforeCont =
        SandboxOptions.defaults()
            .withStartObserver(
                (phase, pid) -> {
                  if (phase == StartPhase.BEFORE_CONT) {
                    throw new IllegalStateException("step failed on purpose");
                  }
                });
    var config = Fixture.config("pc", 1, 256);
    assertThatThrownBy(() -> Sandbox.start(store, Fixture.spec("stepfail", config), failBeforeCont))
        .isInstanceOf(LaunchException.class)
        .hasMessage("start sandbox stepfail: step failed on purpose");
    assertNothingLeft("stepfail");
  }

  @Test
  void invalidAndDuplicateIds() throws Exception {
    var config = Fixture.config("pc", 1, 256);
    assertThatThrownBy(() -> Sandbox.start(store, Fixture.spec("", config)))
        .isInstanceOf(InvalidRequestException.class)
        .hasCauseInstanceOf(InvalidNameException.class);
    assertThatThrownBy(() -> Sandbox.start(store, Fixture.spec("../x", config)))
        .isInstanceOf(InvalidRequestException.class)
        .hasCauseInstanceOf(InvalidNameException.class);
    assertThat(root.resolve("vm")).doesNotExist();
    try (Sandbox s = Sandbox.start(store, Fixture.spec("dup", config))) {
      assertThatThrownBy(() -> Sandbox.start(store, Fixture.spec("dup", config)))
          .isInstanceOf(SandboxExistsException.class)
          .hasMessage("start sandbox dup: the sandbox exists already");
      assertThat(Fixture.qemusOf(store, "dup")).containsExactly(s.pid());
      s.delete();
    }
    assertNothingLeft("dup");
  }
}
