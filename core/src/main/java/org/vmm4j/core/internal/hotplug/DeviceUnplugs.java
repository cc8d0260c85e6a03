package org.vmm4j.core.internal.hotplug;

import java.util.Map;
import java.util.Optional;
import org.vmm4j.core.api.ContainerInfo;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.devices.ManagedDevice;
import org.vmm4j.persist.ContainerState;
import org.vmm4j.qmp.QomList;
import org.vmm4j.qmp.QomProperty;

/**
 * Unplug by id inside a transaction, for every kind: the record is found ({@link DeviceTable#find})
 * and taken out by the one path ({@link Unplug}); what a caller may not unplug is refused first (a
 * disk containers use, a shared device, the virtio-mem device).
 */
public final class DeviceUnplugs {
  private DeviceUnplugs() {}

  /**
   * Unplugs {@code id}: a {@code DeviceState} ID (or its QEMU device id), a network endpoint's
   * name, a hot-plugged vCPU ({@code cpu-N}) or memory device ({@code dimmmemN}).
   *
   * @return the device as it was
   * @throws HotplugRefusedException when nothing of that id is recorded (saying whether QEMU has a
   *     device of that id vmm4j did not hot-plug), or when it may not be unplugged
   */
  public static Device unplug(Tx tx, String id) {
    tx.begin("unplug " + id);
    if (id.equals(MemoryPlug.VIRTIO_MEM_ID)) {
      // no record stands for it (the schema keeps only HotpluggedMemory): refused by its id
      throw new HotplugRefusedException(
          tx.describe() + ": the virtio-mem device stays; its size is what changes");
    }
    DeviceRecord r =
        DeviceTable.find(tx.model(), id, tx.qmp(), tx.deadlines())
            .orElseThrow(() -> unknown(tx, id));
    if (r.source() instanceof DeviceRecord.KataDevice) {
      checkUnused(tx, r);
    }
    Unplug.run(tx, r);
    return r.device();
  }

  private static void checkUnused(Tx tx, DeviceRecord r) {
    for (Map.Entry<String, ContainerState> c : tx.model().containers().entrySet()) {
      if (ContainerInfo.deviceIds(c.getValue()).contains(r.id())) {
        throw new HotplugRefusedException(
            "sandbox "
                + tx.sandboxId()
                + ": unplug device "
                + r.id()
                + ": container "
                + c.getKey()
                + " uses it: remove the container");
      }
    }
    Optional<ManagedDevice> md = tx.model().devices().find(r.id());
    if (md.isPresent() && (md.get().refCount() > 1 || md.get().attachCount() > 1)) {
      throw new HotplugRefusedException(
          "sandbox "
              + tx.sandboxId()
              + ": unplug device "
              + r.id()
              + ": it is shared ("
              + md.get().refCount()
              + " references, "
              + md.get().attachCount()
              + " attaches): its containers must let go of it first");
    }
  }

  private static HotplugRefusedException unknown(Tx tx, String id) {
    boolean inQemu = false;
    for (QomProperty p : tx.call(new QomList(QomList.PERIPHERAL))) {
      inQemu |= p.isChild() && p.name().equals(id);
    }
    return new HotplugRefusedException(
        "sandbox "
            + tx.sandboxId()
            + ": unplug "
            + id
            + ": no such device in the state (a DeviceState ID, a network endpoint, a hot-plugged"
            + " vCPU, a hot-plugged memory device)"
            + (inQemu
                ? "; QEMU has a device " + id + " that vmm4j did not hot-plug: it stays"
                : " nor in QEMU"));
  }
}
