package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.BlockDriver;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DiskSpec;
import org.vmm4j.core.api.HotplugException;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.Vmm4jException;
import org.vmm4j.persist.Bridge;
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
 * dead socket, the state records no new plugged device (a {@code device_add} whose answer was lost
 * is fenced: its slot and block index recorded as taken) and then says the sandbox stopped, and the
 * sandbox is deleted cleanly (no state, no VM directory, its lock free).
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
      org.vmm4j.core.internal.vm.Dirs.deleteTree(h.root);
    }
  }

  @Test
  void killedDuringDeviceAddThePlugFailsAtOnceAndOnlyTheFenceIsRecorded() throws Exception {
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
        k =
            killWhileIn(
                () -> devices.plugDisk(disk), "org.vmm4j.core.internal.hotplug.Tx", "deviceAdd");
        if (k == null) {
          before = h.stateBytes();
        }
      }
      assertThat(k).as("QEMU killed while device_add was in flight, in 20 tries").isNotNull();
      if (k.failure() == null) {
        Device d = (Device) k.result();
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
      // the undo could not ask the dead QEMU whether it created the device: the rollback stopped
      // and what may be there is recorded, fenced (before the one transaction rule: nothing)
      List<String> left = ((Vmm4jException) k.failure()).leftInPlace();
      assertThat(left.get(0)).matches("device_del virtio-drive-\\p{XDigit}+ if QEMU created it");
      assertTrueStateAndCleanDelete(before, false, left.get(0).split(" ")[1], left);
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
    Device d = devices.plugDisk(DiskSpec.raw(h.disk("b.raw", 1)));
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
    assertTrueStateAndCleanDelete(before, true, null, List.of());
  }

  /**
   * The state file as before the failed call (no device recorded or forgotten; a device whose
   * {@code device_add} may have happened, {@code fenced}, with its slot and block index recorded as
   * taken as {@code left} names them), then {@code stopped} once the supervisor saw QEMU gone;
   * {@code delete()} of the object, or {@code Sandbox.delete} by id, leaves nothing.
   */
  private void assertTrueStateAndCleanDelete(
      byte[] before, boolean byObject, String fenced, List<String> left) throws Exception {
    assertThat(h.sandbox.status()).isIn(Sandbox.Status.RUNNING, Sandbox.Status.EXITED);
    SandboxState was = PersistCodec.decodeSandbox(before, "before");
    byte[] now = h.stateBytes(); // once: the supervisor may record the stop at any moment
    if (fenced == null
        && PersistCodec.decodeSandbox(now, "now").state().equals(Sandbox.STATE_RUNNING)) {
      assertThat(new String(now)).isEqualTo(new String(before));
    }
    awaitExitRecorded();
    SandboxState stopped = h.state();
    assertThat(plugged(stopped)).isEqualTo(plugged(was));
    Map<String, String> slots = slotHolders(stopped);
    Set<Long> indexes = new TreeSet<>(stopped.hypervisorState().blockIndexMap());
    if (fenced != null) {
      String path = slots.remove(fenced);
      assertThat(path).as(fenced + " fenced in its slot").isNotNull();
      assertThat(left).contains("release slot " + path + " (pci-bridge-0)");
      Set<Long> added = new TreeSet<>(indexes);
      added.removeAll(was.hypervisorState().blockIndexMap());
      assertThat(added).hasSize(1);
      assertThat(left).contains("release block index " + added.iterator().next());
      indexes.removeAll(added);
    }
    assertThat(slots).isEqualTo(slotHolders(was));
    assertThat(indexes).isEqualTo(was.hypervisorState().blockIndexMap());
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

  /** The devices recorded as plugged (attached), by id. */
  private static List<DeviceState> plugged(SandboxState st) {
    return st.devices() == null
        ? List.of()
        : st.devices().stream().filter(d -> d.attachCount() > 0).toList();
  }

  /** QEMU id to the PCI path of the slot it holds, for every slot of every bridge. */
  private static Map<String, String> slotHolders(SandboxState st) {
    Map<String, String> m = new TreeMap<>();
    for (Bridge b : st.hypervisorState().bridges()) {
      if (b.deviceAddr() != null) {
        b.deviceAddr().forEach((slot, id) -> m.put(id, String.format("%02x/%02x", b.addr(), slot)));
      }
    }
    return m;
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

  private static List<Throwable> causeChain(Throwable t) {
    List<Throwable> all = new java.util.ArrayList<>();
    for (Throwable c = t; c != null && !all.contains(c); c = c.getCause()) {
      all.add(c);
      all.addAll(Arrays.asList(c.getSuppressed()));
    }
    return all;
  }
}
