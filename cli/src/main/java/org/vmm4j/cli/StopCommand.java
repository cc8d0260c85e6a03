package org.vmm4j.cli;

import java.util.concurrent.Callable;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.persist.FsStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code vmm4j stop ID}: ends the sandbox's QEMU ({@code quit}, then SIGTERM, then SIGKILL) and
 * keeps its state as {@code stopped}; exit 0 also when it already was (docs/cli.md).
 */
@Command(
    name = "stop",
    description = {
      "Stop a sandbox: QMP quit, then SIGTERM, then SIGKILL, each with a deadline. The state stays"
          + " (STATE stopped); exit 0 also when it was already stopped."
    })
final class StopCommand implements Callable<Integer> {
  @ParentCommand Vmm4j top;

  @Parameters(index = "0", paramLabel = "ID", description = "The sandbox id.")
  String id;

  @Override
  public Integer call() {
    SandboxErrors.run(
        "stop " + id,
        () -> Sandbox.stop(new FsStore(top.stateRoot()), id, SandboxOptions.defaults()));
    return Vmm4j.EXIT_OK;
  }
}
