package org.vmm4j.core.internal.net;

import java.util.Objects;
import org.vmm4j.network.ConnectedEndpoint;
import org.vmm4j.network.Endpoint;
import org.vmm4j.network.VhostNet;
import org.vmm4j.persist.PciPath;

/**
 * An endpoint just attached, on the host and in QEMU.
 *
 * @param endpoint the endpoint to record (guest MAC, moved addresses, PCI path)
 * @param deviceId its QEMU device id
 * @param netdevId its QEMU netdev id
 * @param pciPath where the guest sees it
 * @param queues its queues (0 for vhost-user)
 * @param host the host side, which undoes it exactly (null for vhost-user: nothing on the host)
 */
public record Attachment(
    Endpoint endpoint,
    String deviceId,
    String netdevId,
    PciPath pciPath,
    int queues,
    ConnectedEndpoint host) {
  public Attachment {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(netdevId, "netdevId");
    Objects.requireNonNull(pciPath, "pciPath");
  }

  public String name() {
    return endpoint.name();
  }

  /** The tap or macvtap QEMU's queues belong to ("" for vhost-user). */
  public String hostInterface() {
    return host == null ? "" : host.tapName();
  }

  /** Whether vhost-net serves the queues, and if not why. */
  public VhostNet vhostNet() {
    return host == null ? VhostNet.NOT_APPLICABLE : host.vhostNet();
  }
}
