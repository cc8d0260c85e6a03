package org.vmm4j.core.hotplug;

import java.util.Objects;
import org.vmm4j.persist.PciPath;

/**
 * A network device on a tap that is plugged.
 *
 * @param name the endpoint's name
 * @param deviceId the QEMU device id
 * @param netdevId the QEMU netdev id
 * @param mac the guest NIC's MAC ("" when restored: the schema does not keep it for every kind)
 * @param queues its queues (0 when restored)
 * @param pciPath where the guest sees it (nil when unknown)
 */
public record PluggedNet(
    String name, String deviceId, String netdevId, String mac, int queues, PciPath pciPath) {
  public PluggedNet {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(netdevId, "netdevId");
    Objects.requireNonNull(mac, "mac");
    Objects.requireNonNull(pciPath, "pciPath");
  }
}
