package org.vmm4j.core.internal.net;

import java.nio.file.Files;
import java.nio.file.Path;
import org.vmm4j.network.Endpoint;
import org.vmm4j.network.Endpoints;
import org.vmm4j.network.NetNs;

/** The host side of a network endpoint whose NIC is gone from QEMU, given back as it was. */
public final class HostSides {
  private HostSides() {}

  /**
   * Gives the pod interface back exactly as the CNI plugin made it (no tap, macvtap, qdisc or
   * filter left; MAC, addresses, routes and state as before) from the {@link LinkRestoreFiles} kept
   * beside the state, then deletes that file. Nothing to do when the namespace is gone (its
   * interfaces, ours included, went with it) or the endpoint has no host side (vhost-user,
   * physical).
   *
   * @param netNsPath the sandbox's namespace ("" for none)
   * @throws org.vmm4j.network.NetlinkException when the host side could not be restored
   */
  public static void disconnect(Endpoint e, String netNsPath, Path vmDir) {
    if (!(e instanceof Endpoint.Paired || e instanceof Endpoint.Tap)) {
      return;
    }
    if (netNsPath.isEmpty() || !Files.exists(Path.of(netNsPath))) {
      LinkRestoreFiles.delete(vmDir, e.name());
      return;
    }
    try (NetNs ns = NetNs.open(Path.of(netNsPath))) {
      Endpoints.disconnect(ns, e, LinkRestoreFiles.read(vmDir, e.name()));
    }
    LinkRestoreFiles.delete(vmDir, e.name());
  }
}
