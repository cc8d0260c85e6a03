package org.vmm4j.cli;

import java.util.List;
import org.vmm4j.core.HotpluggedDevice;
import org.vmm4j.core.NetAttachRequest;
import org.vmm4j.core.Sandbox;
import org.vmm4j.network.InterworkingModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vmm4j hotplug ID net [--netns NAME] [--interface IF] [--model tcfilter|macvtap]} (CLI.md):
 * attaches the interfaces a CNI plugin left in the sandbox's network namespace ({@code --netns}
 * defaults to it; another one is refused; a sandbox without one takes this one), one of them with
 * {@code --interface}, else every one not attached yet. One line per endpoint; {@code DEVICE-ID} is
 * the endpoint's name, DETAILS start with the guest MAC.
 */
@Command(
    name = "net",
    description = {
      "Attach the interfaces of the sandbox's network namespace (every one not attached yet, or"
          + " --interface IF) to the running guest. DEVICE-ID is the endpoint's name."
    })
final class NetHotplugKind extends HotplugKind {
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

  private NetAttachRequest request;

  @Override
  void check() {
    NetAttachRequest r = NetAttachRequest.all();
    if (netns != null) {
      if (netns.isEmpty()) {
        throw bad("--netns: empty namespace name");
      }
      r = r.withNetns(netns);
    }
    if (iface != null) {
      if (iface.isEmpty()) {
        throw bad("--interface: empty interface name");
      }
      r = r.withInterface(iface);
    }
    if (model != null) {
      if (!model.equals("tcfilter") && !model.equals("macvtap")) {
        throw bad("--model " + model + ": tcfilter or macvtap");
      }
      r = r.withModel(InterworkingModel.parse(model));
    }
    request = r;
  }

  /** The request {@link #check()} built. */
  NetAttachRequest request() {
    return request;
  }

  @Override
  List<HotpluggedDevice> plug(Sandbox sandbox) {
    return sandbox.network().attach(request).stream()
        .map(e -> NetHotplugOutput.device(KIND, e))
        .toList();
  }
}
