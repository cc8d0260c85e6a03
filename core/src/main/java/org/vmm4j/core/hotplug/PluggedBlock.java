package org.vmm4j.core.hotplug;

import java.util.Objects;
import java.util.Optional;
import org.vmm4j.devices.DriveNames;
import org.vmm4j.devices.ScsiAddress;
import org.vmm4j.persist.BlockDrive;
import org.vmm4j.persist.PciPath;

/**
 * A disk that is plugged: what the wiring records ({@link #toBlockDrive()}) and what {@link
 * BlockHotplug#unplug} needs (rebuilt from a persisted drive by {@link #fromBlockDrive}).
 *
 * @param deviceId the QEMU device id ({@code virtio-<nodeName>})
 * @param nodeName the block node ({@code BlockDrive.ID})
 * @param file the host file
 * @param format raw or qcow2
 * @param driver virtio-blk or virtio-scsi
 * @param index the block index
 * @param pciPath the PCI path (virtio-blk); nil for a SCSI disk or when unknown
 * @param scsi the SCSI address (virtio-scsi)
 */
public record PluggedBlock(
    String deviceId,
    String nodeName,
    String file,
    BlockFormat format,
    BlockDriver driver,
    int index,
    PciPath pciPath,
    Optional<ScsiAddress> scsi) {
  public PluggedBlock {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(pciPath, "pciPath");
    Objects.requireNonNull(scsi, "scsi");
  }

  /**
   * {@code BlockDrive}: File, Format, ID, Index, and {@code PCIPath} + {@code VirtPath} ({@code
   * /dev/vd<x>} from the index) for virtio-blk, or {@code SCSIAddr} for virtio-scsi.
   */
  public BlockDrive toBlockDrive() {
    BlockDrive.Builder b =
        BlockDrive.builder().file(file).format(format.driver()).id(nodeName).index(index);
    if (driver == BlockDriver.VIRTIO_BLK) {
      b.pciPath(pciPath).virtPath(DriveNames.virtioPath(index));
    } else {
      scsi.ifPresent(s -> b.scsiAddr(s.toString()));
    }
    return b.build();
  }

  /** The plugged disk a persisted {@code BlockDrive} describes (Kata's device id convention). */
  public static PluggedBlock fromBlockDrive(BlockDrive d) {
    boolean scsi = !d.scsiAddr().isEmpty();
    return new PluggedBlock(
        "virtio-" + d.id(),
        d.id(),
        d.file(),
        d.format().isEmpty() ? BlockFormat.RAW : BlockFormat.of(d.format()),
        scsi ? BlockDriver.VIRTIO_SCSI : BlockDriver.VIRTIO_BLK,
        Math.toIntExact(d.index()),
        d.pciPath(),
        scsi ? Optional.of(ScsiAddress.parse(d.scsiAddr())) : Optional.empty());
  }
}
