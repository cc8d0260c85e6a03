package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.hotplug.BlockDriver;
import org.vmm4j.core.hotplug.HotplugException;
import org.vmm4j.persist.DeviceState;
import org.vmm4j.persist.PersistCodec;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.persist.StoreLock;
import org.vmm4j.qmp.QmpDisconnectedException;
import org.vmm4j.testing.qemu.HaltKernel;

/**
 * QEMU killed (SIGKILL) while a hotplug or an unplug is in flight on a real sandbox (q35, TCG,
 * {@link HaltKernel}): the caller's thread is watched until it is inside the QMP step ({@code
 * device_add}, or the wait for {@code DEVICE_DELETED} that a guest-less ACPI slot never sends),
 * then QEMU is killed. The call fails within a second (default deadlines: 5 s per command, 10 s for
 * {@code DEVICE_DELETED}) with the lost connection as the cause, the rollback does not wait on the
 * dead socket, the state records no new device and then says the sandbox stopped, and the sandbox
 * is deleted cleanly (no state, no VM directory, its lock free).
 */
class QemuKilledMidHotplugIT {
  /** Well above what was measured (7 to 313 ms, load average 12), well under the QMP deadlines. */
  static final Duration BOUND = Duration.ofSeconds(1);

  HaltedSandbox h;

  @BeforeEach
  void start() throws IOException {
    assumeTrue(HaltedSandbox.available(), HaltedSandbox.QEMU + " not installed");
    h = HaltedSandbox.start("kill1", b -> b.editKata(k -> k.blockDeviceDriver("virtio-blk")));
  }

  @AfterEach
  void stop() {
    if (h != null && h.store.exists(h.sandbox.id())) {
      h.close();
    } else if (h != null) {
      org.vmm4j.core.vm.Dirs.deleteTree(h.root);
    }
  }

  @Test
  void killedDuringDeviceAddThePlugFailsAtOnceAndNothingIsRecorded() throws Exception {
    // device_add takes QEMU a millisecond or so: the kill may come before the thread is seen in
    // it (then try again), or after QEMU answered (then the device is QEMU's and recorded: true;
    // start another QEMU and try again)
    for (int round = 1; round <= 5; round++) {
      SandboxDevices devices = h.sandbox.devices();
      devices.plugDisk(DiskSpec.raw(h.disk("warm.raw", 1))); // the profile is read, a plug works
      byte[] before = h.stateBytes();
      Killed k = null;
      int tries = 0;
      for (int i = 0; k == null && i < 20; i++, tries++) {
        DiskSpec disk =
            DiskSpec.raw(h.disk("a" + i + ".raw", 1)).withDriver(BlockDriver.VIRTIO_BLK);
        k = killWhileIn(() -> devices.plugDisk(disk), "org.vmm4j.core.hotplug.QmpDevices", "add");
        if (k == null) {
          before = h.stateBytes();
        }
      }
      assertThat(k).as("QEMU killed while device_add was in flight, in 20 tries").isNotNull();
      if (k.failure() == null) {
        HotpluggedDevice d = (HotpluggedDevice) k.result();
        assertThat(h.state().devices()).extracting(DeviceState::id).contains(d.id());
        restart();
        continue;
      }
      assertThat(k.failure())
          .isInstanceOf(HotplugException.class)
          .hasMessageContaining("device_add");
      assertThat(causeChain(k.failure())).anyMatch(t -> t instanceof QmpDisconnectedException);
      System.out.println(
          String.format(
              "kill during device_add (round %d, try %d): failure %.1f ms after SIGKILL",
              round, tries, k.millis()));
      assertThat(k.elapsed()).isLessThan(BOUND);
      assertTrueStateAndCleanDelete(before, false);
      return;
    }
    throw new AssertionError("QEMU answered device_add before each of 5 kills");
  }

  /** The sandbox whose QEMU was killed deleted, and another one started. */
  private void restart() throws Exception {
    awaitExitRecorded();
    h.close();
    h = HaltedSandbox.start("kill1", b -> b.editKata(k -> k.blockDeviceDriver("virtio-blk")));
  }

  private void awaitExitRecorded() throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (h.sandbox.status() != Sandbox.Status.EXITED
        || !h.state().state().equals(Sandbox.STATE_STOPPED)) {
      assertThat(System.nanoTime()).as("QEMU's exit recorded within 10 s").isLessThan(until);
      Thread.sleep(20);
    }
  }

  @Test
  void killedWhileWaitingForDeviceDeletedTheUnplugFailsAtOnceAndTheDeviceStaysRecorded()
      throws Exception {
    SandboxDevices devices = h.sandbox.devices();
    HotpluggedDevice d = devices.plugDisk(DiskSpec.raw(h.disk("b.raw", 1)));
    byte[] before = h.stateBytes();

    Killed k =
        killWhileIn(
            () -> {
              devices.unplug(d.id());
              return null;
            },
            "org.vmm4j.qmp.QmpClient",
            "deviceDel");

    assertThat(k.failure()).isInstanceOf(HotplugException.class).hasMessageContaining(d.id());
    assertThat(causeChain(k.failure())).anyMatch(t -> t instanceof QmpDisconnectedException);
    System.out.println(
        String.format("kill during device_del: failure %.1f ms after SIGKILL", k.millis()));
    assertThat(k.elapsed()).isLessThan(BOUND);
    // nothing is known of the device's removal: the state keeps it until the sandbox is gone
    assertTrueStateAndCleanDelete(before, true);
  }

  /**
   * The state file as before the failed call (no device recorded or forgotten), then {@code
   * stopped} once the supervisor saw QEMU gone; {@code delete()} of the object, or {@code
   * Sandbox.delete} by id, leaves nothing.
   */
  private void assertTrueStateAndCleanDelete(byte[] before, boolean byObject) throws Exception {
    assertThat(h.sandbox.status()).isIn(Sandbox.Status.RUNNING, Sandbox.Status.EXITED);
    byte[] now = h.stateBytes(); // once: the supervisor may record the stop at any moment
    if (PersistCodec.decodeSandbox(now, "now").state().equals(Sandbox.STATE_RUNNING)) {
      assertThat(new String(now)).isEqualTo(new String(before));
    }
    awaitExitRecorded();
    SandboxState stopped = h.state();
    SandboxState was = PersistCodec.decodeSandbox(before, "before");
    assertThat(stopped.devices()).isEqualTo(was.devices());
    assertThat(stopped.hypervisorState().bridges()).isEqualTo(was.hypervisorState().bridges());
    assertThat(stopped.hypervisorState().blockIndexMap())
        .isEqualTo(was.hypervisorState().blockIndexMap());
    assertThat(h.sandbox.paths().vmDir()).doesNotExist();

    if (byObject) {
      h.sandbox.delete();
    } else {
      Sandbox.delete(h.store, h.sandbox.id(), SandboxOptions.defaults());
    }
    assertThat(h.store.exists(h.sandbox.id())).isFalse();
    assertThat(h.store.sandboxDir(h.sandbox.id())).doesNotExist();
    assertThat(h.store.vmDir(h.sandbox.id())).doesNotExist();
    try (StoreLock lock = h.store.lock(h.sandbox.id(), true, Duration.ofMillis(100))) {
      assertThat(lock).isNotNull(); // nobody holds it
    }
  }

  /**
   * The failure of {@code call} and how long after the SIGKILL it arrived; or its result (failure
   * null) when QEMU had answered before the kill.
   */
  record Killed(Throwable failure, Object result, long nanos) {
    Duration elapsed() {
      return Duration.ofNanos(nanos);
    }

    double millis() {
      return nanos / 1e6;
    }
  }

  /**
   * Runs {@code call} on a thread of its own; as soon as that thread's stack shows {@code
   * cls.method} (polled without pause), SIGKILLs QEMU. Null when the call succeeded before that.
   * Fails the test when the call failed before the kill.
   */
  private Killed killWhileIn(Supplier<?> call, String cls, String method) throws Exception {
    ProcessHandle qemu = ProcessHandle.of(h.sandbox.pid()).orElseThrow();
    AtomicLong failedAt = new AtomicLong();
    CompletableFuture<Object> result = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                result.complete(call.get());
              } catch (Throwable e) {
                failedAt.set(System.nanoTime());
                result.completeExceptionally(e);
              }
            },
            "hotplug-under-test");
    t.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!inside(t, cls, method)) {
      if (result.isDone()) {
        t.join();
        result.get(); // a failure before the kill fails the test
        return null;
      }
      assertThat(System.nanoTime()).as("reached " + method + " within 20 s").isLessThan(deadline);
    }
    long killedAt = System.nanoTime();
    qemu.destroyForcibly(); // SIGKILL
    try {
      return new Killed(null, result.get(30, TimeUnit.SECONDS), 0);
    } catch (ExecutionException e) {
      return new Killed(e.getCause(), null, failedAt.get() - killedAt);
    } finally {
      t.join(5000);
    }
  }

  private static boolean inside(Thread t, String cls, String method) {
    return Arrays.stream(t.getStackTrace())
        .anyMatch(f -> f.getClassName().equals(cls) && f.getMethodName().equals(method));
  }

  private static java.util.List<Throwable> causeChain(Throwable t) {
    java.util.List<Throwable> all = new java.util.ArrayList<>();
    for (Throwable c = t; c != null && !all.contains(c); c = c.getCause()) {
      all.add(c);
      all.addAll(Arrays.asList(c.getSuppressed()));
    }
    return all;
  }
}
