package org.vmm4j.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.NetAttachRequest;
import org.vmm4j.network.InterworkingModel;
import org.vmm4j.network.NetNs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vmm4j hotplug ID net [--netns NAME] [--interface IF] [--model tcfilter|macvtap]}: attaches
 * the interfaces a CNI plugin left in the sandbox's network namespace ({@code --netns} defaults to
 * it; another one is refused; a sandbox without one takes this one), one of them with {@code
 * --interface}, else every one not attached yet. One line per endpoint; {@code DEVICE-ID} is the
 * endpoint's name, DETAILS start with the guest MAC.
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
      checkNetns();
      r = r.withNetns(netns);
    }
    if (iface != null) {
      checkInterface();
      r = r.withInterface(iface);
    }
    if (model != null) {
      if (!model.equals("tcfilter") && !model.equals("macvtap")) {
        throw bad("--model " + Errors.quoted(model) + ": tcfilter or macvtap");
      }
      r = r.withModel(InterworkingModel.parse(model));
    }
    request = r;
  }

  /** A name under /run/netns (not . or ..) or an absolute path, of an existing namespace file. */
  private void checkNetns() {
    if (netns.isEmpty()) {
      throw bad("--netns \"\": empty namespace name");
    }
    if (netns.contains("/") ? !netns.startsWith("/") : netns.equals(".") || netns.equals("..")) {
      throw bad("--netns " + netns + ": a name under " + NetNs.RUN_DIR + " or an absolute path");
    }
    Path p = netns.contains("/") ? Path.of(netns) : NetNs.RUN_DIR.resolve(netns);
    if (!Files.exists(p)) {
      throw bad("--netns " + netns + ": no network namespace at " + p);
    }
  }

  /** A Linux interface name: 1 to 15 bytes, not . or .., no '/', ':' or white space. */
  private void checkInterface() {
    if (iface.isEmpty()) {
      throw bad("--interface \"\": empty interface name");
    }
    boolean badChar = iface.chars().anyMatch(c -> c == '/' || c == ':' || c <= ' ' || c == 127);
    if (badChar || iface.equals(".") || iface.equals("..")) {
      throw bad("--interface " + iface + ": not an interface name (no '/', ':' or white space)");
    }
    if (iface.getBytes(StandardCharsets.UTF_8).length > 15) {
      throw bad("--interface " + iface + ": longer than 15 bytes (IFNAMSIZ)");
    }
  }

  /** The request {@link #check()} built. */
  NetAttachRequest request() {
    return request;
  }

  @Override
  List<Device> plug(Sandbox sandbox) {
    return sandbox.network().attach(request);
  }
}
