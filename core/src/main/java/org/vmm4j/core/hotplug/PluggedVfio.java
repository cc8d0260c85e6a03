package org.vmm4j.core.hotplug;

import java.util.List;
import java.util.Objects;
import org.vmm4j.devices.VfioDeviceType;
import org.vmm4j.persist.PciPath;
import org.vmm4j.persist.VfioDev;

/**
 * A VFIO group that is plugged: every member.
 *
 * @param devInfoId the managed device's id
 * @param members the members as plugged, in group order
 */
public record PluggedVfio(String devInfoId, List<Member> members) {
  public PluggedVfio {
    Objects.requireNonNull(devInfoId, "devInfoId");
    members = List.copyOf(members);
  }

  /**
   * One plugged member.
   *
   * @param id its QEMU id
   * @param type normal or mediated
   * @param bdf Kata's form of its address ({@code 02:00.0})
   * @param sysfsDev its sysfs path
   * @param pciPath its PCI path in the guest (nil when unknown)
   */
  public record Member(
      String id, VfioDeviceType type, String bdf, String sysfsDev, PciPath pciPath) {
    public Member {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(bdf, "bdf");
      Objects.requireNonNull(sysfsDev, "sysfsDev");
      Objects.requireNonNull(pciPath, "pciPath");
    }
  }

  /**
   * {@code DeviceState.VFIODevs}: id, Type (1 normal, 2 mediated), BDF and SysfsDev of each member
   * (the schema has no PCI path for VFIO; the slots are in {@code Bridges[].DeviceAddr}).
   */
  public List<VfioDev> toVfioDevs() {
    return members.stream()
        .map(m -> new VfioDev(m.id(), m.type().kataType(), m.bdf(), m.sysfsDev()))
        .toList();
  }

  /** The plugged group persisted {@code VFIODevs} describe (paths are not persisted: nil). */
  public static PluggedVfio fromVfioDevs(String devInfoId, List<VfioDev> devs) {
    return new PluggedVfio(
        devInfoId,
        devs.stream()
            .map(
                d ->
                    new Member(
                        d.id(),
                        d.type() == VfioDeviceType.MEDIATED.kataType()
                            ? VfioDeviceType.MEDIATED
                            : VfioDeviceType.NORMAL,
                        d.bdf(),
                        d.sysfsDev(),
                        PciPath.NIL))
            .toList());
  }
}
