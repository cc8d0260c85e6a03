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
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code vmm4j list [--json]}: one line per sandbox, {@code ID STATE PID} (docs/cli.md); STATE
 * {@code exited} marks a sandbox recorded running whose QEMU is gone, and {@code broken} one whose
 * state cannot be read, its line ending with the reason ({@code ID broken 0 REASON}, the state file
 * named relative to the sandbox's directory). The others are still listed and the exit code is 0:
 * the listing succeeded; {@code delete ID} removes a broken one.
 */
@Command(
    name = "list",
    description = {
      "List the sandboxes of the state root: ID STATE PID, one per line, as their states record"
          + " them; STATE is 'exited' for a sandbox recorded running whose QEMU is gone, and"
          + " 'broken' for one whose state cannot be read (then PID is 0 and the reason follows;"
          + " 'delete ID' removes it). Exit 0 when the listing succeeded, broken ones included."
    })
final class ListCommand implements Callable<Integer> {
  @ParentCommand Vmm4j top;

  @Spec CommandSpec spec;

  @Option(
      names = "--json",
      description =
          "A JSON array of {\"id\",\"state\",\"pid\"}, with \"problem\" (the reason, its"
              + " file's full path) for a broken one.")
  boolean json;

  @Override
  public Integer call() {
    FsStore store = new FsStore(top.stateRoot());
    List<SandboxSummary> all = SandboxErrors.run("list", () -> Sandbox.list(store));
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ArrayNode a = MAPPER.createArrayNode();
      for (SandboxSummary s : all) {
        ObjectNode o = a.addObject().put("id", s.id()).put("state", s.state()).put("pid", s.pid());
        if (s.isBroken()) {
          o.put("problem", s.problem());
        }
      }
      out.println(MAPPER.writeValueAsString(a));
    } else {
      all.forEach(s -> out.println(line(store, s)));
    }
    return Vmm4j.EXIT_OK;
  }

  /** {@code ID STATE PID}, and for a broken one the reason, its file named within the sandbox. */
  private static String line(FsStore store, SandboxSummary s) {
    String line = s.id() + " " + s.state() + " " + s.pid();
    if (!s.isBroken()) {
      return line;
    }
    String within = store.sandboxDir(s.id()) + "/";
    return line + " " + Errors.oneLine(s.problem().replace(within, ""));
  }
}
