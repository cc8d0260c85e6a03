package org.vmm4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.Device;
import org.vmm4j.network.MacAddress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vmm4j hotplug ID vhost-user-net --socket PATH [--mac MAC]}: a vhost-user network backend
 * served on {@code PATH}, recorded as a {@code VhostUserEndpoint} named {@code vhost-user-<n>} (its
 * {@code DEVICE-ID}). Guest memory must be shared with the daemon (it maps it; a guest whose memory
 * it cannot map hangs): without it, exit 1 saying so.
 */
@Command(
    name = "vhost-user-net",
    description = {
      "Attach a vhost-user network backend listening on --socket to the guest. DEVICE-ID is the"
          + " endpoint's name."
    })
final class VhostUserNetHotplugKind extends HotplugKind {
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

  private Optional<MacAddress> guestMac = Optional.empty();

  @Override
  void check() {
    socket = VhostUserKind.checkSocket(this, socket);
    if (mac == null) {
      return;
    }
    MacAddress m;
    try {
      m = MacAddress.parse(mac);
    } catch (IllegalArgumentException e) {
      throw bad("--mac " + Errors.quoted(mac) + ": not a MAC address");
    }
    if ((m.bytes()[0] & 1) != 0) {
      throw bad("--mac " + mac + ": a multicast MAC");
    }
    if (java.util.Arrays.equals(m.bytes(), new byte[6])) {
      throw bad("--mac " + mac + ": the all-zero MAC");
    }
    guestMac = Optional.of(m);
  }

  /** The MAC {@link #check()} accepted, if one was given. */
  Optional<MacAddress> guestMac() {
    return guestMac;
  }

  @Override
  List<Device> plug(Sandbox sandbox) {
    return List.of(sandbox.network().attachVhostUser(socket, guestMac));
  }
}
