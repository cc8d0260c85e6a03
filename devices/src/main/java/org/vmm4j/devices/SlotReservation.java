package org.vmm4j.devices;

import java.util.Objects;
import java.util.Optional;
import org.vmm4j.persist.PciPath;

/**
 * A slot held for one device by {@link PciTopology}: reserved before {@code device_add}, committed
 * once the device is plugged, released on rollback or once the device is really gone.
 *
 * @param deviceId the QEMU id of the device that holds the slot
 * @param bridge the bridge or root port
 * @param slot the slot behind it (0 for a root port)
 */
public record SlotReservation(String deviceId, PciBridge bridge, int slot) {
  public SlotReservation {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(bridge, "bridge");
  }

  /** The device's PCI path: {@code <bridge slot>/<slot>}. */
  public PciPath pciPath() {
    return bridge.devicePciPath(slot);
  }

  /** The {@code bus} property of {@code device_add}: the bridge's id. */
  public String bus() {
    return bridge.id();
  }

  /**
   * The {@code addr} property of {@code device_add} ({@code "01"}, two hex digits as Kata sends
   * it); empty below a root port, where QEMU must choose slot 0 itself (QEMU 7.2 accepts an
   * explicit addr there, but the guest never sees the device).
   */
  public Optional<String> addr() {
    return bridge.type().takesAddr() ? Optional.of(String.format("%02x", slot)) : Optional.empty();
  }

  /** {@code virtio-drive-1 at 02/01 (pci-bridge-0)}, for messages. */
  public String describe() {
    return deviceId + " at " + pciPath() + " (" + bridge.id() + ")";
  }
}
