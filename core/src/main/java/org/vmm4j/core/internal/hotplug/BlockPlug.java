package org.vmm4j.core.internal.hotplug;

import java.util.Optional;
import org.vmm4j.core.api.BlockDriver;
import org.vmm4j.core.internal.hotplug.DeviceRecord.BlockNode;
import org.vmm4j.devices.DriveNames;
import org.vmm4j.devices.ScsiAddress;
import org.vmm4j.devices.SlotReservation;
import org.vmm4j.persist.BlockDrive;
import org.vmm4j.persist.PciPath;
import org.vmm4j.qmp.BlockdevAdd;
import org.vmm4j.qmp.DeviceAdd;
import tools.jackson.databind.node.ObjectNode;

/**
 * Disk hotplug (Kata's {@code hotplugBlockDevice}), each step with its undo in the transaction:
 *
 * <ol>
 *   <li>a block index;
 *   <li>{@code blockdev-add {"driver":FORMAT,"node-name":ID,"read-only":RO[,"cache":{"direct":..,
 *       "no-flush":..}],"file":{"driver":"file","filename":FILE}}};
 *   <li>virtio-blk: a slot, then {@code device_add virtio-blk-pci {"drive":ID,"serial":S,
 *       "share-rw":"on","romfile":"","bus":B[,"addr":"XX"]}} ({@code addr} only on a bridge);
 *       virtio-scsi: {@code device_add scsi-hd {"drive":ID,"serial":S,"share-rw":"on",
 *       "bus":"scsi0.0","scsi-id":index/256,"lun":index%256}}.
 * </ol>
 *
 * The unplug is {@link Unplug}'s: {@code device_del} and its wait, {@code blockdev-del}, the slot
 * and the index freed.
 */
public final class BlockPlug {
  /** The virtio-scsi controller's bus (the controller is {@code scsi0} on the command line). */
  public static final String SCSI_BUS = "scsi0.0";

  private BlockPlug() {}

  /**
   * Plugs the disk.
   *
   * @return what Kata records of it ({@code BlockDrive}: file, format, node id, index, and the PCI
   *     path and {@code /dev/vd<x>} of a virtio-blk disk or the SCSI address of a SCSI one)
   */
  public static BlockDrive plug(Tx tx, BlockRequest r) {
    String dev = r.deviceId();
    tx.begin("hotplug " + r.driver().kataName() + " disk " + dev + " (" + r.file() + ")");
    int index = tx.allocateIndex();
    tx.addBackend(new BlockNode(r.driveId()), new BlockdevAdd(blockdevOptions(r)));
    if (r.driver() == BlockDriver.VIRTIO_SCSI) {
      ScsiAddress scsi = ScsiAddress.of(index);
      tx.deviceAdd(new DeviceAdd("scsi-hd", dev, scsiProps(r, scsi)));
      return drive(r, index, PciPath.NIL, Optional.of(scsi));
    }
    Optional<SlotReservation> slot = tx.reserve(dev, r.placement());
    tx.deviceAdd(new DeviceAdd("virtio-blk-pci", dev, virtioProps(r, slot)));
    tx.commit(slot);
    return drive(r, index, tx.pciPath(slot, dev), Optional.empty());
  }

  private static BlockDrive drive(
      BlockRequest r, int index, PciPath path, Optional<ScsiAddress> scsi) {
    BlockDrive.Builder b =
        BlockDrive.builder()
            .file(r.file())
            .format(r.format().driver())
            .id(r.driveId())
            .index(index);
    if (scsi.isEmpty()) {
      b.pciPath(path).virtPath(DriveNames.virtioPath(index));
    } else {
      b.scsiAddr(scsi.get().toString());
    }
    return b.build();
  }

  static ObjectNode blockdevOptions(BlockRequest r) {
    ObjectNode o = Slots.object();
    o.put("driver", r.format().driver())
        .put("node-name", r.driveId())
        .put("read-only", r.readOnly());
    r.cache()
        .ifPresent(
            c -> o.putObject("cache").put("direct", c.direct()).put("no-flush", c.noFlush()));
    o.putObject("file").put("driver", "file").put("filename", r.file());
    return o;
  }

  private static ObjectNode virtioProps(BlockRequest r, Optional<SlotReservation> slot) {
    ObjectNode p = Slots.object();
    p.put("drive", r.driveId()).put("serial", r.serial()).put("share-rw", "on").put("romfile", "");
    return Slots.place(p, slot);
  }

  private static ObjectNode scsiProps(BlockRequest r, ScsiAddress scsi) {
    ObjectNode p = Slots.object();
    p.put("drive", r.driveId()).put("serial", r.serial()).put("share-rw", "on");
    return p.put("bus", SCSI_BUS).put("scsi-id", scsi.id()).put("lun", scsi.lun());
  }
}
