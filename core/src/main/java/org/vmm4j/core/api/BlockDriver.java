package org.vmm4j.core.api;

/** How a hot-plugged disk appears in the guest ({@code BlockDeviceDriver}). */
public enum BlockDriver {
  /** A {@code virtio-blk-pci} device on a bridge slot or a root port: a PCI path. */
  VIRTIO_BLK("virtio-blk"),
  /** A {@code scsi-hd} on the {@code scsi0} controller: a SCSI id and LUN. */
  VIRTIO_SCSI("virtio-scsi");

  private final String kataName;

  BlockDriver(String kataName) {
    this.kataName = kataName;
  }

  /** The {@code BlockDeviceDriver} value. */
  public String kataName() {
    return kataName;
  }

  /**
   * The driver of a config's {@code BlockDeviceDriver} (validated: virtio-scsi or virtio-blk).
   *
   * @throws HotplugRefusedException for a driver without a hotplug flow here (nvdimm, mmio, ccw)
   */
  public static BlockDriver of(HypervisorConfig config) {
    String d =
        config.kata().blockDeviceDriver().isEmpty()
            ? "virtio-scsi"
            : config.kata().blockDeviceDriver();
    for (BlockDriver b : values()) {
      if (b.kataName.equals(d)) {
        return b;
      }
    }
    throw new HotplugRefusedException(
        "BlockDeviceDriver=" + d + ": disks are hot-plugged as virtio-blk or virtio-scsi only");
  }
}
