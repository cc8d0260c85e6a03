package org.vmm4j.cli;

import static org.vmm4j.cli.CliJson.MAPPER;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.PciPath;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code vmm4j hotplug ID KIND [OPTIONS] [--json]} (docs/cli.md): reattaches to the sandbox through
 * its persisted state, plugs, and prints one line per device added, {@code DEVICE-ID PCI-PATH
 * DETAILS}.
 *
 * <p>A kind is a subcommand: a {@link HotplugKind} subclass with its options, listed in {@code
 * subcommands} below. Adding a kind is that class and its line here.
 */
@Command(
    name = "hotplug",
    synopsisSubcommandLabel = "KIND",
    commandListHeading = "Kinds:%n",
    description = {
      "Hot-plug a device into a running sandbox; print one line per device added:"
          + " DEVICE-ID PCI-PATH DETAILS ('-' where there is no PCI path).",
      "DEVICE-ID is what 'vmm4j unplug ID DEVICE-ID' takes."
    },
    subcommands = {
      BlockKind.class,
      VfioKind.class,
      VhostUserBlkKind.class,
      VhostUserScsiKind.class,
      VhostUserFsKind.class,
      VhostUserNetHotplugKind.class,
      CpuKind.class,
      MemoryKind.class,
      NetHotplugKind.class
    })
final class HotplugCommand implements Callable<Integer> {
  /** picocli's usage width. */
  private static final int USAGE_WIDTH = 80;

  @ParentCommand Vmm4j top;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "The sandbox id.")
  String id;

  @Override
  public Integer call() {
    throw CliException.badInput(
        "hotplug " + id + ": give a KIND: " + kinds(spec) + " (see 'vmm4j hotplug --help')");
  }

  /**
   * Each kind's usage line names the sandbox id before the kind ({@code vmm4j hotplug ID cpu ...}),
   * where picocli would write the kind right after {@code hotplug}.
   */
  static void showIdInSynopses(CommandLine hotplug) {
    for (CommandLine kind : hotplug.getSubcommands().values()) {
      String name = kind.getCommandSpec().qualifiedName();
      String[] words =
          new CommandLine.Help(kind.getCommandSpec())
              .synopsis(0)
              .strip()
              .substring(name.length())
              .strip()
              .split("\\s+");
      String head = "Usage: " + usage("ID", kind); // as printed: picocli adds the heading
      String indent = " ".repeat(head.length() + 1);
      List<String> lines = new ArrayList<>();
      StringBuilder line = new StringBuilder(head);
      for (String w : words) {
        if (line.length() + 1 + w.length() > USAGE_WIDTH) {
          lines.add(line.toString());
          line = new StringBuilder(indent);
        } else {
          line.append(' ');
        }
        line.append(w);
      }
      lines.add(line.toString());
      lines.set(0, lines.get(0).substring("Usage: ".length()));
      kind.getCommandSpec().usageMessage().customSynopsis(lines.toArray(String[]::new));
    }
  }

  /** {@code vmm4j hotplug ID KIND}, with the id given (or {@code ID}). */
  static String usage(String id, CommandLine kind) {
    return "vmm4j hotplug " + id + " " + kind.getCommandName();
  }

  /** The kinds, for messages: {@code hotplug}'s subcommands, in the order listed above. */
  static String kinds(CommandSpec hotplug) {
    return String.join(", ", hotplug.subcommands().keySet());
  }

  /** The sandbox id, checked (exit 2 when invalid). */
  String sandboxId(String kind) {
    return SandboxErrors.checkId("hotplug " + kind, id);
  }

  /**
   * Reattaches to the sandbox, runs {@code plug} on its devices and prints what was added.
   *
   * @param kind the kind's name, for messages and JSON
   */
  int plug(String kind, Function<Sandbox, List<Device>> plug, boolean json, PrintWriter out) {
    String op = "hotplug " + sandboxId(kind) + " " + kind;
    FsStore store = new FsStore(top.stateRoot());
    List<Device> added;
    try (Sandbox s =
        SandboxErrors.run(op, () -> Sandbox.restore(store, id, SandboxOptions.defaults()))) {
      added = SandboxErrors.run(op, () -> plug.apply(s));
    } catch (CliException e) {
      throw sameOperation(op, e);
    }
    if (json) {
      out.println(MAPPER.writeValueAsString(toJson(id, kind, added)));
    } else {
      added.forEach(d -> d.lines().forEach(out::println));
    }
    out.flush();
    return Vmm4j.EXIT_OK;
  }

  /**
   * vmm4j's hotplug errors start with {@code sandbox ID: }; the line says {@code hotplug ID KIND: }
   * instead, as for bad input ({@code vmm4j hotplug sb1 block: device_add ...: rolled back ...}).
   */
  private CliException sameOperation(String op, CliException e) {
    String own = op + ": sandbox " + id + ": ";
    String m = e.getMessage();
    if (!m.startsWith(own)) {
      return e;
    }
    return new CliException(e.exitCode(), op + ": " + m.substring(own.length()), e.getCause());
  }

  /**
   * {@code --json}: {@code {"sandbox","kind","devices":[...]}}, one entry per line of the text
   * output (a VFIO group's members one each).
   */
  static ObjectNode toJson(String sandbox, String kind, List<Device> added) {
    ObjectNode root = MAPPER.createObjectNode().put("sandbox", sandbox).put("kind", kind);
    ArrayNode devices = root.putArray("devices");
    for (Device d : added) {
      List<Device.QemuDevice> parts = d.qemuDevices().size() > 1 ? d.qemuDevices() : List.of();
      if (parts.isEmpty()) {
        entry(devices, d, d.pciPath(), d.details());
      }
      for (Device.QemuDevice q : parts) {
        entry(devices, d, q.pciPath(), q.details().isEmpty() ? d.details() : q.details());
      }
    }
    return root;
  }

  /** One line of {@code vmm4j hotplug} as JSON: id, pciPath (null for none), kind, details. */
  private static void entry(
      ArrayNode devices, Device d, PciPath path, Map<String, String> details) {
    ObjectNode o = devices.addObject().put("id", d.id());
    o.put("pciPath", path.isNil() ? null : path.toString());
    o.put("kind", d.kind().cliName());
    ObjectNode json = o.putObject("details");
    details.forEach(json::put);
  }
}
