package org.vmm4j.core.internal.vm;

import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.ReattachException;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.SandboxPaths;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.persist.StoreLock;
import org.vmm4j.persist.StoredSandbox;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.qmp.QmpException;
import tools.jackson.databind.JsonNode;

/**
 * A new controller finds a running sandbox again: loads its state, connects to its QMP socket
 * ({@link QmpAttach}: the controller's when free, else the tools socket), checks that it is the
 * same QEMU (peer pid, UUID), and finds virtiofsd by pid.
 */
public final class Reattach {
  /**
   * A reattached sandbox.
   *
   * @param stored its state when reattached
   * @param qemu QEMU (not this JVM's child)
   * @param virtiofsd virtiofsd, or null
   * @param qmp the QMP connection
   * @param accelerator from {@code query-kvm}
   */
  public record Attached(
      StoredSandbox stored,
      HostProcess qemu,
      HostProcess virtiofsd,
      QmpClient qmp,
      Accelerator accelerator) {}

  private Reattach() {}

  /**
   * Reattaches to sandbox {@code id}.
   *
   * @throws org.vmm4j.persist.StateNotFoundException when it has no state
   * @throws ReattachException when it is stopped, its QEMU is gone or unreachable, or another QEMU
   *     answers
   */
  public static Attached attach(FsStore store, String id, SandboxOptions o) {
    StoredSandbox stored;
    try (StoreLock lock = store.lockExisting(id, false, o.lockTimeout())) {
      stored = store.load(id);
    }
    SandboxState st = stored.sandbox();
    String what = "reattach sandbox " + id;
    if (!SandboxStates.RUNNING.equals(st.state())) {
      throw new ReattachException(what + ": it is " + st.state() + ", not running");
    }
    long pid = st.hypervisorState().pid();
    HostProcess qemu =
        HostProcess.attach(pid)
            .orElseThrow(
                () -> new ReattachException(what + ": its QEMU (pid " + pid + ") is gone"));
    SandboxPaths paths = SandboxPaths.under(store.root(), id);
    QmpClient qmp;
    try {
      // other processes' operations on this sandbox may hold both sockets: wait as for the lock
      qmp =
          QmpAttach.connect(paths, o.qmpOptions(), o.controllerGreetingTimeout(), o.lockTimeout());
    } catch (QmpException e) {
      throw new ReattachException(what + ": " + e.getMessage(), e);
    }
    try {
      QmpAttach.checkIdentity(what, qmp, pid, st.hypervisorState().uuid());
      checkStarted(what, qmp);
      Teardown.Live found = Teardown.find(store, st, o, false);
      return new Attached(stored, qemu, found.virtiofsd(), qmp, accelerator(qmp));
    } catch (RuntimeException e) {
      qmp.close();
      if (e instanceof QmpException q) {
        throw new ReattachException(what + ": " + q.getMessage(), q);
      }
      throw e;
    }
  }

  /**
   * A QMP connection for a tool ({@code vmm4j qmp ID}): the controller's socket when free, else the
   * tools socket (waiting up to the QMP connect deadline for either), checked to be served by the
   * sandbox's QEMU.
   */
  public static QmpClient connectTool(FsStore store, String id, SandboxOptions o) {
    SandboxState st = store.load(id).sandbox();
    String what = "sandbox " + id;
    if (!SandboxStates.RUNNING.equals(st.state())) {
      throw new ReattachException(what + " is " + st.state() + ", not running");
    }
    QmpClient qmp =
        QmpAttach.connect(
            SandboxPaths.under(store.root(), id),
            o.qmpOptions(),
            o.controllerGreetingTimeout(),
            o.qmpOptions().connectTimeout());
    try {
      QmpAttach.checkIdentity(what, qmp, st.hypervisorState().pid(), st.hypervisorState().uuid());
      return qmp;
    } catch (RuntimeException e) {
      qmp.close();
      throw e;
    }
  }

  /**
   * A QEMU still in {@code prelaunch} was never sent {@code cont}: the process that started it died
   * during the start (its state was written while QEMU initialised).
   */
  static void checkStarted(String what, QmpClient qmp) {
    String status = qmp.execute("query-status", null).path("status").asString("");
    if (status.equals("prelaunch")) {
      throw new ReattachException(
          what + ": QEMU is still in prelaunch: its start never completed; delete the sandbox");
    }
  }

  /** {@code query-kvm}: KVM when enabled, else TCG. */
  static Accelerator accelerator(QmpClient qmp) {
    JsonNode r = qmp.execute("query-kvm", null);
    return r.path("enabled").asBoolean(false) ? Accelerator.KVM : Accelerator.TCG;
  }
}
