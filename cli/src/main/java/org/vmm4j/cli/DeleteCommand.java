package org.vmm4j.cli;

import java.util.concurrent.Callable;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.persist.FsStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code vmm4j delete ID}: stops the sandbox when running, then removes all of its state. */
@Command(
    name = "delete",
    description = {
      "Delete a sandbox: stop it when running, then remove its state, VM and shared directories."
    })
final class DeleteCommand implements Callable<Integer> {
  @ParentCommand Vmm4j top;

  @Parameters(index = "0", paramLabel = "ID", description = "The sandbox id.")
  String id;

  @Override
  public Integer call() {
    SandboxErrors.run(
        "delete " + id,
        () -> {
          Sandbox.delete(new FsStore(top.stateRoot()), id, SandboxOptions.defaults());
          return null;
        });
    return Vmm4j.EXIT_OK;
  }
}
