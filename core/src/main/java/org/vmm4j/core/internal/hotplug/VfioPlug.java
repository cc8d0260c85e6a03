package org.vmm4j.core.internal.hotplug;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vmm4j.devices.SlotReservation;
import org.vmm4j.devices.VfioDeviceType;
import org.vmm4j.devices.VfioHostDevice;
import org.vmm4j.persist.PciPath;
import org.vmm4j.persist.VfioDev;
import org.vmm4j.qmp.DeviceAdd;
import tools.jackson.databind.node.ObjectNode;

/**
 * VFIO hotplug (Kata's {@code hotplugVFIODevice}): every member of the IOMMU group is plugged, in
 * group order, or none (the transaction's rollback unplugs the members plugged before a failure,
 * last first). Per member: a slot on a bridge or a root port (none on pc's root bus), then {@code
 * device_add vfio-pci {"host":"DDDD:BB:DD.F"|"sysfsdev":PATH,"romfile":"","bus":B[,"addr":"XX"]}}.
 */
public final class VfioPlug {
  private VfioPlug() {}

  /**
   * A plugged member.
   *
   * @param dev what Kata records of it ({@code VFIODevs}: id, type, BDF, sysfs path)
   * @param pciPath where the guest sees it
   */
  public record Member(VfioDev dev, PciPath pciPath) {}

  /** Plugs every member of the group, in group order. */
  public static List<Member> plug(Tx tx, VfioRequest r) {
    tx.begin(
        "hotplug VFIO group "
            + r.group().number()
            + " ("
            + r.group().members().size()
            + " device(s)) as "
            + r.memberId(0));
    List<Member> plugged = new ArrayList<>();
    List<VfioHostDevice> members = r.group().members();
    for (int i = 0; i < members.size(); i++) {
      plugged.add(member(tx, r, r.memberId(i), members.get(i)));
    }
    return plugged;
  }

  private static Member member(Tx tx, VfioRequest r, String id, VfioHostDevice d) {
    Optional<SlotReservation> slot = tx.reserve(id, r.placement());
    ObjectNode p = Slots.object();
    if (d.type() == VfioDeviceType.MEDIATED) {
      p.put("sysfsdev", d.sysfsDev());
    } else {
      p.put("host", d.bdf());
    }
    p.put("romfile", "");
    tx.deviceAdd(new DeviceAdd("vfio-pci", id, Slots.place(p, slot)));
    tx.commit(slot);
    String bdf = d.type() == VfioDeviceType.MEDIATED ? "" : d.kataBdf(); // as Kata records it
    return new Member(
        new VfioDev(id, d.type().kataType(), bdf, d.sysfsDev()), tx.pciPath(slot, id));
  }
}
