package org.vmm4j.devices;

import java.util.Objects;
import java.util.Optional;

/**
 * One member of an IOMMU group, as sysfs describes it.
 *
 * @param type a PCI function or a mediated device
 * @param bdf the full address {@code DDDD:BB:DD.F} (lower case); for a mediated device its
 *     parent's, or "" when the parent is not a PCI function
 * @param sysfsDev the device's sysfs directory (resolved; for a mediated device what {@code
 *     vfio-pci sysfsdev=} takes)
 * @param uuid the mediated device's UUID, "" for a PCI function
 * @param pcie whether it is a PCI Express function (config space larger than 256 bytes)
 * @param classCode the PCI class ({@code 0x030000}), -1 when unknown
 * @param vendorId the PCI vendor id, -1 when unknown
 * @param deviceId the PCI device id, -1 when unknown
 * @param driver the host driver bound to it (it must be {@code vfio-pci} for QEMU), empty if none
 */
public record VfioHostDevice(
    VfioDeviceType type,
    String bdf,
    String sysfsDev,
    String uuid,
    boolean pcie,
    int classCode,
    int vendorId,
    int deviceId,
    Optional<String> driver) {
  public VfioHostDevice {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(bdf, "bdf");
    Objects.requireNonNull(sysfsDev, "sysfsDev");
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(driver, "driver");
  }

  /**
   * The BDF as Kata records it ({@code VFIODev.BDF}): without the domain when it is {@code 0000}
   * ({@code 02:10.0}), in full otherwise (Kata would lose the domain).
   */
  public String kataBdf() {
    return bdf.startsWith("0000:") ? bdf.substring(5) : bdf;
  }

  /** {@code 0000:02:10.0} or the mediated device's UUID, for messages. */
  public String describe() {
    return type == VfioDeviceType.MEDIATED ? "mdev " + uuid : bdf;
  }
}
