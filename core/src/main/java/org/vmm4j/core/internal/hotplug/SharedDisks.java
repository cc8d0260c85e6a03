package org.vmm4j.core.internal.hotplug;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmm4j.core.api.DiskInUseException;
import org.vmm4j.core.api.StateException;
import org.vmm4j.devices.DeviceManager;
import org.vmm4j.devices.DevicesException;
import org.vmm4j.devices.HostDevice;
import org.vmm4j.devices.ManagedDevice;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.LockTimeoutException;
import org.vmm4j.persist.PersistException;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.persist.StoreLock;

/**
 * Whether another sandbox of the store has a disk plugged: a disk plugged read-write into two
 * sandboxes is corrupted by two guests that each think they own it, and QEMU does not refuse it
 * (disks are plugged with {@code share-rw=on}, as Kata does). The other sandboxes' states are read
 * one at a time under their shared lock, while the caller holds its own sandbox's exclusive one:
 * two such checks that wait for each other give up at their deadline, and nothing else waits for a
 * lock while holding one. A file is the same through any path ({@link DeviceManager#findSame}).
 * Kata's schema does not record whether the other sandbox plugged it read-only, so any plug of it
 * counts.
 */
public final class SharedDisks {
  private static final Logger LOG = LoggerFactory.getLogger(SharedDisks.class);

  /** Kata's {@code types.StateRunning}: only a running sandbox's QEMU has its disks open. */
  private static final String RUNNING = "running";

  private SharedDisks() {}

  /**
   * Refuses the read-write plug of {@code disk} into sandbox {@code sid} when another running
   * sandbox of {@code store} has it plugged. A sandbox whose state cannot be read, or whose QEMU is
   * gone, is skipped with a warning.
   *
   * @param file the disk as the caller gave it, for messages
   * @param deadline how long to wait, in all, for the other sandboxes' locks
   * @throws DiskInUseException naming the other sandbox and the disk
   * @throws StateException when another sandbox's state stays locked past the deadline (whether it
   *     has the disk is not known)
   */
  public static void refuseOtherWriters(
      FsStore store, String sid, HostDevice disk, Path file, Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    for (String other : store.list()) {
      if (other.equals(sid)) {
        continue;
      }
      Duration left = Duration.ofNanos(Math.max(end - System.nanoTime(), 1_000_000));
      Optional<ManagedDevice> same = plugged(store, sid, other, disk, file, left);
      if (same.isPresent()) {
        String at = same.get().info().hostPath();
        throw new DiskInUseException(
            "sandbox "
                + sid
                + ": hotplug disk "
                + file
                + " read-write: sandbox "
                + other
                + " has it plugged (device "
                + same.get().id()
                + (at.equals(file.toString()) ? "" : ", " + at)
                + "), and two guests writing one disk corrupt it: plug it read-only, or allow"
                + " shared writing (DiskSpec.withSharedWrite, vmm4j hotplug block --share-rw)",
            file,
            other);
      }
    }
  }

  /** The device of sandbox {@code other} that is {@code disk}, when it is running and has it. */
  private static Optional<ManagedDevice> plugged(
      FsStore store, String sid, String other, HostDevice disk, Path file, Duration wait) {
    Optional<SandboxState> st = read(store, sid, other, file, wait);
    if (st.isEmpty() || !RUNNING.equals(st.get().state())) {
      return Optional.empty();
    }
    long pid = st.get().hypervisorState().pid();
    if (pid <= 0 || !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      skipped(sid, file, other, "its state says running but its QEMU (pid " + pid + ") is gone");
      return Optional.empty();
    }
    try {
      return DeviceManager.restore(other, "", st.get().devices())
          .findSame(disk)
          .filter(ManagedDevice::attached);
    } catch (DevicesException e) {
      skipped(sid, file, other, e.toString());
      return Optional.empty();
    }
  }

  /** Sandbox {@code other}'s state, read under its shared lock; empty when it cannot be read. */
  private static Optional<SandboxState> read(
      FsStore store, String sid, String other, Path file, Duration wait) {
    try (StoreLock lock = store.lock(other, false, wait)) {
      return Optional.of(store.load(other).sandbox());
    } catch (LockTimeoutException e) {
      throw new StateException(
          "sandbox "
              + sid
              + ": hotplug disk "
              + file
              + ": whether sandbox "
              + other
              + " has it plugged is not known: "
              + e.getMessage()
              + " (a transaction of it in progress): retry, or plug it read-only",
          e);
    } catch (PersistException e) {
      skipped(sid, file, other, e.toString());
      return Optional.empty();
    }
  }

  private static void skipped(String sid, Path file, String other, String why) {
    LOG.warn("sandbox {}: hotplug disk {}: sandbox {} skipped: {}", sid, file, other, why);
  }
}
