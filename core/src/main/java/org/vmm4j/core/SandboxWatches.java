package org.vmm4j.core;

import java.nio.file.Path;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.SandboxPaths;
import org.vmm4j.core.internal.vm.HostProcess;
import org.vmm4j.core.internal.vm.Supervisor;
import org.vmm4j.qmp.QmpClient;

/**
 * The supervisors of one sandbox's processes: QEMU always, virtiofsd when there is one. An exit
 * nobody asked for goes to {@link ExitHandler} with the process's name and its output log.
 */
final class SandboxWatches implements AutoCloseable {
  /** Called on the supervisor's thread when a process exits unexpectedly. */
  @FunctionalInterface
  interface ExitHandler {
    void exited(String process, HostProcess p, Path log);
  }

  private final Supervisor qemu;
  private final Supervisor virtiofsd;

  private SandboxWatches(Supervisor qemu, Supervisor virtiofsd) {
    this.qemu = qemu;
    this.virtiofsd = virtiofsd;
  }

  /**
   * Watches {@code qemu} (its QMP connection closing counts) and {@code virtiofsd} (may be null).
   */
  static SandboxWatches start(
      String sandboxId,
      HostProcess qemu,
      HostProcess virtiofsd,
      QmpClient qmp,
      SandboxOptions options,
      SandboxPaths paths,
      ExitHandler onExit) {
    String name = "sandbox " + sandboxId;
    Supervisor q =
        Supervisor.watch(
            name,
            qemu,
            qmp,
            options.exitPollInterval(),
            p -> onExit.exited("qemu", p, paths.qemuOutput()));
    Supervisor v =
        virtiofsd == null
            ? null
            : Supervisor.watch(
                name,
                virtiofsd,
                null,
                options.exitPollInterval(),
                p -> onExit.exited("virtiofsd", p, paths.virtiofsdOutput()));
    return new SandboxWatches(q, v);
  }

  /** vmm4j is about to end the processes: their exits are expected, not reported. */
  void expectExit() {
    qemu.expectExit();
    if (virtiofsd != null) {
      virtiofsd.expectExit();
    }
  }

  @Override
  public void close() {
    qemu.close();
    if (virtiofsd != null) {
      virtiofsd.close();
    }
  }
}
