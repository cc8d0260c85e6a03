package org.vmm4j.core.hotplug;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.vmm4j.devices.SlotReservation;
import org.vmm4j.devices.VfioDeviceType;
import org.vmm4j.devices.VfioHostDevice;
import org.vmm4j.qmp.DeviceAdd;
import tools.jackson.databind.node.ObjectNode;

/**
 * VFIO hotplug (inventory 2.3; DESIGN decision 7): every member of the IOMMU group is plugged, in
 * group order, or none. Per member: a slot on a bridge or a root port (none on pc's root bus), then
 * {@code device_add vfio-pci {"host":"DDDD:BB:DD.F"|"sysfsdev":PATH,"romfile":"","bus":B[,
 * "addr":"XX"]}}. A member that fails unplugs the members already plugged (each waiting for its
 * {@code DEVICE_DELETED}) and frees their slots, last first.
 */
public final class VfioHotplug {
  private final HotplugContext ctx;

  public VfioHotplug(HotplugContext ctx) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
  }

  /**
   * Plugs every member of the group.
   *
   * @throws HotplugException naming the member and step that failed and what was rolled back
   */
  public PluggedVfio plug(VfioRequest r) {
    Transaction tx =
        new Transaction(
            ctx.sandboxId(),
            "hotplug VFIO group "
                + r.group().number()
                + " ("
                + r.group().members().size()
                + " device(s)) as "
                + r.memberId(0));
    List<PluggedVfio.Member> plugged = new ArrayList<>();
    try {
      List<VfioHostDevice> members = r.group().members();
      for (int i = 0; i < members.size(); i++) {
        plugged.add(plugMember(tx, r, r.memberId(i), members.get(i)));
      }
      return new PluggedVfio(r.devInfoId(), plugged);
    } catch (RuntimeException e) {
      throw tx.rollback(e);
    }
  }

  private PluggedVfio.Member plugMember(
      Transaction tx, VfioRequest r, String id, VfioHostDevice d) {
    Optional<SlotReservation> slot = QmpDevices.reserve(ctx, tx, id, r.placement());
    ObjectNode p = QmpDevices.object();
    if (d.type() == VfioDeviceType.MEDIATED) {
      p.put("sysfsdev", d.sysfsDev());
    } else {
      p.put("host", d.bdf());
    }
    p.put("romfile", "");
    QmpDevices.add(ctx, tx, new DeviceAdd("vfio-pci", id, QmpDevices.place(p, slot)));
    QmpDevices.commit(ctx, slot);
    String bdf = d.type() == VfioDeviceType.MEDIATED ? "" : d.kataBdf(); // as Kata records it
    return new PluggedVfio.Member(
        id, d.type(), bdf, d.sysfsDev(), QmpDevices.pciPath(ctx, slot, id));
  }

  /**
   * Unplugs every member, last first; each member's slot is freed once it is gone. Stops at the
   * first member QEMU still has.
   *
   * @throws DeviceStillPresentException naming that member; the members before it stay plugged
   */
  public void unplug(PluggedVfio v) {
    List<PluggedVfio.Member> members = v.members();
    for (int i = members.size() - 1; i >= 0; i--) {
      String id = members.get(i).id();
      Optional<SlotReservation> slot = ctx.topology().find(id);
      List<String> stays = new ArrayList<>();
      slot.ifPresent(s -> stays.add("slot " + s.pciPath() + " (" + s.bus() + ")"));
      for (int j = 0; j < i; j++) {
        stays.add("device " + members.get(j).id());
      }
      QmpDevices.remove(ctx, id, "unplug VFIO device " + id, stays);
      slot.ifPresent(ctx.topology()::release);
    }
  }
}
