package org.vmm4j.core.api;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * Something that happened to a sandbox, pushed to its {@link SandboxListener}s: a device plugged or
 * removed (also one the guest ejected, or another QMP client removed, with no request of this
 * process), QEMU exited (whatever the cause), or a reconcile found QEMU and the state apart.
 * Delivered in order, on vmm4j's one event thread (never a QMP reader thread): a listener should
 * return quickly.
 */
public sealed interface SandboxEvent
    permits SandboxEvent.DeviceAdded,
        SandboxEvent.DeviceRemoved,
        SandboxEvent.QemuExited,
        SandboxEvent.DriftFound {
  /** The sandbox it happened to. */
  String sandboxId();

  /** A device was plugged by a transaction of this process, and saved. */
  record DeviceAdded(String sandboxId, Device device) implements SandboxEvent {
    public DeviceAdded {
      Objects.requireNonNull(sandboxId, "sandboxId");
      Objects.requireNonNull(device, "device");
    }
  }

  /**
   * A device is gone from QEMU and from the state.
   *
   * @param requested true when a request of this process unplugged it; false when the guest ejected
   *     it or another QMP client removed it (vmm4j then finished the unplug: backends deleted, slot
   *     freed, record dropped)
   */
  record DeviceRemoved(String sandboxId, Device device, boolean requested) implements SandboxEvent {
    public DeviceRemoved {
      Objects.requireNonNull(sandboxId, "sandboxId");
      Objects.requireNonNull(device, "device");
    }
  }

  /**
   * A supervised process of the sandbox exited: QEMU (stopped by vmm4j, crashed, killed, or the
   * guest powered off) or virtiofsd (then vmm4j stops QEMU, as Kata does).
   *
   * @param process {@code "qemu"} or {@code "virtiofsd"}
   * @param pid its pid
   * @param exitStatus its exit status, when this JVM is its parent and it exited normally
   * @param signal the signal that killed it, when this JVM is its parent and one did
   * @param requested true when vmm4j stopped it ({@link Sandbox#stop()}, {@link Sandbox#delete()})
   * @param output the end of its output log (QEMU's own messages); "" when unknown
   */
  record QemuExited(
      String sandboxId,
      String process,
      long pid,
      OptionalInt exitStatus,
      OptionalInt signal,
      boolean requested,
      String output)
      implements SandboxEvent {
    public QemuExited {
      Objects.requireNonNull(sandboxId, "sandboxId");
      Objects.requireNonNull(process, "process");
      Objects.requireNonNull(exitStatus, "exitStatus");
      Objects.requireNonNull(signal, "signal");
      Objects.requireNonNull(output, "output");
    }

    /**
     * One line: {@code "sandbox ID: qemu pid 123 exited (killed by signal 9): <output>"}; {@code
     * exited} alone when this process cannot know how.
     */
    public String describe() {
      String how =
          exitStatus.isPresent()
              ? " (exit status " + exitStatus.getAsInt() + ")"
              : signal.isPresent() ? " (killed by signal " + signal.getAsInt() + ")" : "";
      return "sandbox "
          + sandboxId
          + ": "
          + process
          + " pid "
          + pid
          + " exited"
          + how
          + (output.isEmpty() ? "" : ": " + output);
    }
  }

  /**
   * {@link Sandbox#reconcile()} found QEMU and the state apart (not {@link
   * Reconciliation#agrees()}).
   */
  record DriftFound(String sandboxId, Reconciliation report) implements SandboxEvent {
    public DriftFound {
      Objects.requireNonNull(sandboxId, "sandboxId");
      Objects.requireNonNull(report, "report");
    }
  }
}
