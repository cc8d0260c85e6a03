package org.vmm4j.cli;

import java.util.List;
import org.vmm4j.core.AttachedEndpoint;
import org.vmm4j.core.NetAttachRequest;
import org.vmm4j.core.Sandbox;
import org.vmm4j.network.InterworkingModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code net} kind of {@code vmm4j hotplug ID net [--netns NAME] [--interface IF] [--model
 * tcfilter|macvtap]} (CLI.md): attaches the interfaces a CNI plugin left in the sandbox's network
 * namespace ({@code --netns} defaults to it; another one is refused; a sandbox without one takes
 * this one), one of them with {@code --interface}, else every one not attached yet. One line per
 * endpoint ({@link NetHotplugOutput}); {@code DEVICE-ID} is the endpoint's name.
 *
 * <p>Usable as a picocli subcommand or mixin of {@code hotplug} (its options are plain fields), or
 * from the options after {@code KIND} with {@link #parse}; {@link #plug} does the work.
 */
@Command(
    name = "net",
    description = {
      "Attach the interfaces of the sandbox's network namespace (every one not attached yet, or"
          + " --interface IF) to the running guest."
    })
final class NetHotplugKind {
  static final String KIND = "net";

  @Option(
      names = "--netns",
      paramLabel = "NAME",
      description = "The namespace (a name under /run/netns, or a path); default: the sandbox's.")
  String netns;

  @Option(names = "--interface", paramLabel = "IF", description = "Only this interface.")
  String iface;

  @Option(
      names = "--model",
      paramLabel = "MODEL",
      description =
          "tcfilter or macvtap (default: the sandbox's InterworkingModel, else tcfilter).")
  String model;

  /**
   * The kind's options as given after {@code net}.
   *
   * @throws CliException bad input (exit 2) for an unknown option or a bad value
   */
  static NetHotplugKind parse(String... options) {
    NetHotplugKind k = new NetHotplugKind();
    try {
      new CommandLine(k).parseArgs(options);
    } catch (CommandLine.ParameterException e) {
      throw CliException.badInput("hotplug net: " + Errors.oneLine(e.getMessage()));
    }
    k.request();
    return k;
  }

  /** The request; bad input (exit 2) for a model other than tcfilter or macvtap. */
  NetAttachRequest request() {
    NetAttachRequest r = NetAttachRequest.all();
    if (netns != null) {
      if (netns.isEmpty()) {
        throw CliException.badInput("hotplug net: --netns: empty namespace name");
      }
      r = r.withNetns(netns);
    }
    if (iface != null) {
      r = r.withInterface(iface);
    }
    if (model != null) {
      if (!model.equals("tcfilter") && !model.equals("macvtap")) {
        throw CliException.badInput("hotplug net: --model " + model + ": tcfilter or macvtap");
      }
      r = r.withModel(InterworkingModel.parse(model));
    }
    return r;
  }

  /** Attaches; exit 1 with the reason when refused or failed (everything rolled back). */
  List<AttachedEndpoint> plug(Sandbox s) {
    NetAttachRequest r = request();
    return SandboxErrors.run("hotplug " + s.id() + " net", () -> s.network().attach(r));
  }
}
