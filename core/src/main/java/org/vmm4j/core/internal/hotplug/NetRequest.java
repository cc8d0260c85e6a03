package org.vmm4j.core.internal.hotplug;

import java.util.List;
import java.util.Objects;
import org.vmm4j.devices.Placement;
import org.vmm4j.network.OwnedFd;

/**
 * A network device to hot-plug on a tap (or macvtap) the host side has set up: its queue
 * descriptors go to QEMU with {@code getfd}, then a {@code tap} netdev and a {@code virtio-net-pci}
 * device take them (Kata's {@code hotplugNetDevice}). The descriptors stay the caller's: it closes
 * its copies once the plug returned.
 *
 * @param name the endpoint's name, for messages
 * @param deviceId the QEMU device id, {@code virtio-<uuid>}
 * @param netdevId the QEMU netdev id ({@code br<idx>_kata})
 * @param mac the guest NIC's MAC
 * @param queueFds the tap's queue descriptors, queue 0 first (at least one); more than one makes
 *     the device multi-queue ({@code mq=on}, {@code vectors=2N+2})
 * @param vhostFds one vhost-net descriptor per queue, or none (vhost off)
 * @param placement where the device goes
 */
public record NetRequest(
    String name,
    String deviceId,
    String netdevId,
    String mac,
    List<OwnedFd> queueFds,
    List<OwnedFd> vhostFds,
    Placement placement) {
  public NetRequest {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(netdevId, "netdevId");
    Objects.requireNonNull(mac, "mac");
    Objects.requireNonNull(placement, "placement");
    queueFds = List.copyOf(queueFds);
    vhostFds = List.copyOf(vhostFds);
    if (queueFds.isEmpty()) {
      throw new IllegalArgumentException("net " + name + ": no queue descriptor");
    }
    if (!vhostFds.isEmpty() && vhostFds.size() != queueFds.size()) {
      throw new IllegalArgumentException(
          "net "
              + name
              + ": "
              + vhostFds.size()
              + " vhost-net descriptors for "
              + queueFds.size()
              + " queues");
    }
  }

  /** The number of queues. */
  public int queues() {
    return queueFds.size();
  }
}
