package org.vmm4j.cli;

import static org.vmm4j.cli.CliJson.MAPPER;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.SandboxSummary;
import org.vmm4j.persist.FsStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;

/**
 * {@code vmm4j list [--json]}: one line per sandbox, {@code ID STATE PID} (docs/cli.md); STATE
 * {@code exited} marks a sandbox recorded running whose QEMU is gone.
 */
@Command(
    name = "list",
    description = {
      "List the sandboxes of the state root: ID STATE PID, one per line, as their states record"
          + " them; STATE is 'exited' for a sandbox recorded running whose QEMU is gone."
    })
final class ListCommand implements Callable<Integer> {
  @ParentCommand Vmm4j top;

  @Spec CommandSpec spec;

  @Option(names = "--json", description = "A JSON array of {\"id\",\"state\",\"pid\"}.")
  boolean json;

  @Override
  public Integer call() {
    List<SandboxSummary> all =
        SandboxErrors.run("list", () -> Sandbox.list(new FsStore(top.stateRoot())));
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ArrayNode a = MAPPER.createArrayNode();
      all.forEach(s -> a.addObject().put("id", s.id()).put("state", s.state()).put("pid", s.pid()));
      out.println(MAPPER.writeValueAsString(a));
    } else {
      all.forEach(s -> out.println(s.id() + " " + s.state() + " " + s.pid()));
    }
    return Vmm4j.EXIT_OK;
  }
}
