package org.vmm4j.core.hotplug;

import java.util.Objects;
import org.vmm4j.devices.DeviceKind;
import org.vmm4j.persist.PciPath;
import org.vmm4j.persist.VhostUserDeviceAttrs;

/**
 * A vhost-user device that is plugged.
 *
 * @param kind blk, scsi, fs or net
 * @param devId the device's id (the chardev's id)
 * @param socketPath the daemon's socket
 * @param mac the MAC of a network device, else ""
 * @param pciPath the PCI path (nil when unknown)
 * @param index the block index of a vhost-user-blk disk, else -1
 */
public record PluggedVhostUser(
    DeviceKind kind, String devId, String socketPath, String mac, PciPath pciPath, int index) {
  public PluggedVhostUser {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(devId, "devId");
    Objects.requireNonNull(socketPath, "socketPath");
    Objects.requireNonNull(mac, "mac");
    Objects.requireNonNull(pciPath, "pciPath");
  }

  /** The QEMU device id. */
  public String deviceId() {
    return "virtio-" + devId;
  }

  /** The chardev's id. */
  public String chardevId() {
    return devId;
  }

  /** The netdev's id (network devices). */
  public String netdevId() {
    return "net-" + devId;
  }

  /** {@code DeviceState.VhostUserDev}: DevID, SocketPath, Type, MacAddress, PCIPath, Index. */
  public VhostUserDeviceAttrs toAttrs() {
    return new VhostUserDeviceAttrs(devId, socketPath, kind.kataType(), mac, pciPath, index);
  }

  /**
   * The plugged device persisted attrs describe.
   *
   * @throws IllegalArgumentException for a Type that is not a vhost-user kind
   */
  public static PluggedVhostUser fromAttrs(VhostUserDeviceAttrs a) {
    DeviceKind kind =
        DeviceKind.fromKataType(a.type())
            .filter(DeviceKind::isVhostUser)
            .orElseThrow(() -> new IllegalArgumentException("not a vhost-user Type: " + a.type()));
    return new PluggedVhostUser(
        kind, a.devId(), a.socketPath(), a.macAddress(), a.pciPath(), Math.toIntExact(a.index()));
  }
}
