package org.vmm4j.core.internal.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.api.DiskInUseException;
import org.vmm4j.core.api.StateException;
import org.vmm4j.devices.HostDevice;
import org.vmm4j.persist.BlockDrive;
import org.vmm4j.persist.DeviceState;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.persist.StoreLock;
import org.vmm4j.testing.persist.SampleStates;

/**
 * {@link SharedDisks} over a real store: a disk another running sandbox has plugged (through any
 * path) is refused naming it; a stopped sandbox, one whose QEMU is gone, a detached device and a
 * state that cannot be read do not count; a state locked past the deadline is an error.
 */
class SharedDisksTest {
  static final Duration WAIT = Duration.ofMillis(300);

  @TempDir Path dir;

  private FsStore store() {
    return new FsStore(dir.resolve("store"));
  }

  private Path image(String name) throws IOException {
    return Files.write(dir.resolve(name), new byte[4096]);
  }

  /** Sandbox {@code sid}, running under QEMU pid {@code pid}, with {@code file} as device d1. */
  private void other(FsStore store, String sid, String state, long pid, Path file, long attaches) {
    SandboxState s = SampleStates.sandbox(sid, 0, 0);
    BlockDrive drive =
        BlockDrive.builder().id("drive-d1").index(0).file(file.toString()).format("raw").build();
    DeviceState d =
        DeviceState.builder()
            .id("d1")
            .type("block")
            .refCount(1)
            .attachCount(attaches)
            .devType("b")
            .blockDrive(attaches > 0 ? drive : null)
            .build();
    store.save(
        s.toBuilder()
            .state(state)
            .devices(List.of(d))
            .hypervisorState(s.hypervisorState().toBuilder().pid(pid).build())
            .build(),
        Map.of());
  }

  private static void check(FsStore store, Path file) {
    SharedDisks.refuseOtherWriters(
        store, "me", HostDevice.block(file.toString(), 0, 0, false), file, WAIT);
  }

  private static long alive() {
    return ProcessHandle.current().pid();
  }

  @Test
  void aDiskARunningSandboxHasIsRefusedThroughAnyPath() throws IOException {
    FsStore store = store();
    Path image = image("a.raw");
    other(store, "other", "running", alive(), image, 1);
    Path link = Files.createSymbolicLink(dir.resolve("link.raw"), image);
    Path hard = Files.createLink(dir.resolve("hard.raw"), image);
    for (Path p : List.of(image, link, hard)) {
      assertThatThrownBy(() -> check(store, p))
          .as(p.toString())
          .isInstanceOf(DiskInUseException.class)
          .hasMessage(
              "sandbox me: hotplug disk "
                  + p
                  + " read-write: sandbox other has it plugged (device d1"
                  + (p.equals(image) ? "" : ", " + image)
                  + "), and two guests writing one disk corrupt it: plug it read-only, or allow"
                  + " shared writing (DiskSpec.withSharedWrite, vmm4j hotplug block --share-rw)");
    }
    assertThatCode(() -> check(store, image("b.raw"))).doesNotThrowAnyException();
  }

  @Test
  void onlyARunningQemuWithTheDiskAttachedCounts() throws IOException {
    FsStore store = store();
    Path image = image("a.raw");
    other(store, "stopped", "stopped", alive(), image, 1);
    other(store, "detached", "running", alive(), image, 0);
    Process gone = new ProcessBuilder("true").start();
    try {
      gone.waitFor();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    other(store, "dead", "running", gone.pid(), image, 1);
    Path corrupt = Files.createDirectories(store.sandboxDir("corrupt"));
    Files.writeString(corrupt.resolve(FsStore.STATE_FILE), "{not json");
    assertThat(store.list()).contains("corrupt");
    assertThatCode(() -> check(store, image)).doesNotThrowAnyException();
    other(store, "me", "running", alive(), image, 1);
    assertThatCode(() -> check(store, image)).as("its own sandbox").doesNotThrowAnyException();
  }

  @Test
  void aStateLockedPastTheDeadlineIsAnError() throws IOException {
    FsStore store = store();
    Path image = image("a.raw");
    other(store, "busy", "stopped", alive(), image, 1);
    try (StoreLock held = store.lock("busy", true)) {
      assertThat(held.exclusive()).isTrue();
      assertThatThrownBy(() -> check(store, image))
          .isInstanceOf(StateException.class)
          .hasMessageStartingWith(
              "sandbox me: hotplug disk "
                  + image
                  + ": whether sandbox busy has it plugged is not"
                  + " known: ")
          .hasMessageEndingWith("(a transaction of it in progress): retry, or plug it read-only");
    }
  }
}
