package org.vmm4j.cli;

import java.nio.file.Path;
import java.util.Optional;
import org.vmm4j.core.AttachedEndpoint;
import org.vmm4j.core.Sandbox;
import org.vmm4j.network.MacAddress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code vhost-user-net} kind of {@code vmm4j hotplug ID vhost-user-net --socket PATH [--mac
 * MAC]} (CLI.md): a vhost-user network backend served on {@code PATH}, recorded as a {@code
 * VhostUserEndpoint} named {@code vhost-user-<n>} (its {@code DEVICE-ID}). Guest memory must be
 * shared (DESIGN decision 10): without it, exit 1 saying so.
 */
@Command(
    name = "vhost-user-net",
    description = {"Attach a vhost-user network backend listening on --socket to the guest."})
final class VhostUserNetHotplugKind {
  static final String KIND = "vhost-user-net";

  @Option(
      names = "--socket",
      required = true,
      paramLabel = "PATH",
      description = "The backend's unix socket.")
  Path socket;

  @Option(
      names = "--mac",
      paramLabel = "MAC",
      description = "The guest NIC's MAC (default: a random locally administered one).")
  String mac;

  /** The kind's options as given after {@code vhost-user-net}; bad input (exit 2) otherwise. */
  static VhostUserNetHotplugKind parse(String... options) {
    VhostUserNetHotplugKind k = new VhostUserNetHotplugKind();
    try {
      new CommandLine(k).parseArgs(options);
    } catch (CommandLine.ParameterException e) {
      throw CliException.badInput("hotplug vhost-user-net: " + Errors.oneLine(e.getMessage()));
    }
    k.guestMac();
    return k;
  }

  Optional<MacAddress> guestMac() {
    if (mac == null) {
      return Optional.empty();
    }
    try {
      MacAddress m = MacAddress.parse(mac);
      if ((m.bytes()[0] & 1) != 0) {
        throw CliException.badInput("hotplug vhost-user-net: --mac " + mac + ": a multicast MAC");
      }
      return Optional.of(m);
    } catch (IllegalArgumentException e) {
      throw CliException.badInput("hotplug vhost-user-net: --mac " + mac + ": not a MAC address");
    }
  }

  AttachedEndpoint plug(Sandbox s) {
    Optional<MacAddress> m = guestMac();
    return SandboxErrors.run(
        "hotplug " + s.id() + " vhost-user-net", () -> s.network().attachVhostUser(socket, m));
  }
}
