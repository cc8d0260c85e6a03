package org.vmm4j.core.hotplug;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.vmm4j.devices.ScsiAddress;
import org.vmm4j.devices.SlotReservation;
import org.vmm4j.persist.PciPath;
import org.vmm4j.qmp.BlockNodeInfo;
import org.vmm4j.qmp.BlockdevAdd;
import org.vmm4j.qmp.BlockdevDel;
import org.vmm4j.qmp.DeviceAdd;
import org.vmm4j.qmp.QmpCommandException;
import org.vmm4j.qmp.QueryNamedBlockNodes;
import tools.jackson.databind.node.ObjectNode;

/**
 * Disk hotplug (inventory 2.1), as a transaction:
 *
 * <ol>
 *   <li>a block index (undo: release it);
 *   <li>{@code blockdev-add {"driver":FORMAT,"node-name":ID,"read-only":RO[,"cache":{"direct":..,
 *       "no-flush":..}],"file":{"driver":"file","filename":FILE}}} (undo: {@code blockdev-del});
 *   <li>virtio-blk: a slot (undo: release it), then {@code device_add virtio-blk-pci
 *       {"drive":ID,"serial":S,"share-rw":"on","romfile":"","bus":B[,"addr":"XX"]}} ({@code addr}
 *       only on a bridge); virtio-scsi: {@code device_add scsi-hd {"drive":ID,"serial":S,
 *       "share-rw":"on","bus":"scsi0.0","scsi-id":index/256,"lun":index%256}}.
 * </ol>
 *
 * Unplug: {@code device_del} and its {@code DEVICE_DELETED} (or {@code qom-list}'s word), then
 * {@code blockdev-del}, then the slot and the index are freed.
 */
public final class BlockHotplug {
  /** The virtio-scsi controller's bus (the controller is {@code scsi0} on the command line). */
  public static final String SCSI_BUS = "scsi0.0";

  private final HotplugContext ctx;

  public BlockHotplug(HotplugContext ctx) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
  }

  /**
   * Plugs the disk; on failure undoes every completed step and throws.
   *
   * @throws HotplugException naming the failed step and what was rolled back
   */
  public PluggedBlock plug(BlockRequest r) {
    String dev = r.deviceId();
    Transaction tx =
        new Transaction(
            ctx.sandboxId(),
            "hotplug " + r.driver().kataName() + " disk " + dev + " (" + r.file() + ")");
    try {
      int index = ctx.blockIndexes().allocate();
      tx.undo("release block index " + index, () -> ctx.blockIndexes().release(index));
      QmpDevices.call(ctx, new BlockdevAdd(blockdevOptions(r)));
      tx.undo(
          "blockdev-del " + r.driveId(), () -> QmpDevices.call(ctx, new BlockdevDel(r.driveId())));
      if (r.driver() == BlockDriver.VIRTIO_SCSI) {
        ScsiAddress scsi = ScsiAddress.of(index);
        QmpDevices.add(ctx, tx, new DeviceAdd("scsi-hd", dev, scsiProps(r, scsi)));
        return plugged(r, index, PciPath.NIL, Optional.of(scsi));
      }
      Optional<SlotReservation> slot = QmpDevices.reserve(ctx, tx, dev, r.placement());
      QmpDevices.add(ctx, tx, new DeviceAdd("virtio-blk-pci", dev, virtioProps(r, slot)));
      QmpDevices.commit(ctx, slot);
      return plugged(r, index, QmpDevices.pciPath(ctx, slot, dev), Optional.empty());
    } catch (RuntimeException e) {
      throw tx.rollback(e);
    }
  }

  private static PluggedBlock plugged(
      BlockRequest r, int index, PciPath path, Optional<ScsiAddress> scsi) {
    return new PluggedBlock(
        r.deviceId(), r.driveId(), r.file(), r.format(), r.driver(), index, path, scsi);
  }

  static ObjectNode blockdevOptions(BlockRequest r) {
    ObjectNode o = QmpDevices.object();
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
    ObjectNode p = QmpDevices.object();
    p.put("drive", r.driveId()).put("serial", r.serial()).put("share-rw", "on").put("romfile", "");
    return QmpDevices.place(p, slot);
  }

  private static ObjectNode scsiProps(BlockRequest r, ScsiAddress scsi) {
    ObjectNode p = QmpDevices.object();
    p.put("drive", r.driveId()).put("serial", r.serial()).put("share-rw", "on");
    return p.put("bus", SCSI_BUS).put("scsi-id", scsi.id()).put("lun", scsi.lun());
  }

  /**
   * Unplugs the disk: device, then backend, then its slot and index. When the device is gone but
   * {@code blockdev-del} fails, the slot and index are freed and the error says the node remains.
   *
   * @throws DeviceStillPresentException when QEMU still has the device (nothing is freed)
   * @throws HotplugException when the node could not be deleted
   */
  public void unplug(PluggedBlock b) {
    String op = "unplug disk " + b.deviceId();
    // Kata keys DeviceAddr by the drive id (its node name), vmm4j by the QEMU device id
    Optional<SlotReservation> slot =
        ctx.topology().find(b.deviceId()).or(() -> ctx.topology().find(b.nodeName()));
    List<String> stays = new ArrayList<>();
    slot.ifPresent(s -> stays.add("slot " + s.pciPath() + " (" + s.bus() + ")"));
    stays.add("blockdev " + b.nodeName());
    stays.add("block index " + b.index());
    QmpDevices.remove(ctx, b.deviceId(), op, stays);
    RuntimeException backend = deleteNode(b.nodeName());
    slot.ifPresent(ctx.topology()::release);
    if (ctx.blockIndexes().isUsed(b.index())) {
      ctx.blockIndexes().release(b.index());
    }
    if (backend != null) {
      throw new HotplugException(
          "sandbox "
              + ctx.sandboxId()
              + ": "
              + op
              + ": the device is gone (slot and index freed)"
              + " but "
              + backend.getMessage(),
          backend,
          List.of("blockdev " + b.nodeName()));
    }
  }

  /** {@code blockdev-del}; null when done or when the node is already gone. */
  private RuntimeException deleteNode(String node) {
    try {
      QmpDevices.call(ctx, new BlockdevDel(node));
      return null;
    } catch (QmpCommandException e) {
      try {
        for (BlockNodeInfo n : QmpDevices.call(ctx, new QueryNamedBlockNodes())) {
          if (node.equals(n.nodeName())) {
            return e;
          }
        }
        return null;
      } catch (RuntimeException q) {
        e.addSuppressed(q);
        return e;
      }
    } catch (RuntimeException e) {
      return e;
    }
  }
}
