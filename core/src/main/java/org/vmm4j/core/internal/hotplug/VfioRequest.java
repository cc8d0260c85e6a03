package org.vmm4j.core.internal.hotplug;

import java.util.Objects;
import org.vmm4j.core.api.MachineType;
import org.vmm4j.devices.PciTopology;
import org.vmm4j.devices.Placement;
import org.vmm4j.devices.VfioGroup;

/**
 * A VFIO group to hot-plug: every member, or none.
 *
 * @param devInfoId the managed device's id (member {@code i} is {@code vfio-<devInfoId><i>}, at
 *     most 31 characters, as Kata names them)
 * @param group the IOMMU group ({@link org.vmm4j.devices.VfioDiscovery})
 * @param placement where each member goes
 */
public record VfioRequest(String devInfoId, VfioGroup group, Placement placement) {
  /** Kata's bound on device ids ({@code maxDevIDSize}). */
  public static final int MAX_ID = 31;

  public VfioRequest {
    Objects.requireNonNull(devInfoId, "devInfoId");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(placement, "placement");
  }

  /** The QEMU id of member {@code i}. */
  public String memberId(int i) {
    String id = "vfio-" + devInfoId + i;
    return id.length() > MAX_ID ? id.substring(0, MAX_ID) : id;
  }

  /**
   * Where VFIO devices go by default (Kata's rules, minus the q35 root-bus dead end): root ports on
   * q35 when there are any; the root bus on pc with {@code HotplugVFIOOnRootBus}; else bridges.
   */
  public static Placement defaultPlacement(
      MachineType machine, boolean hotplugVfioOnRootBus, PciTopology topology) {
    if (machine == MachineType.Q35 && topology.supports(Placement.ROOT_PORT)) {
      return Placement.ROOT_PORT;
    }
    if (hotplugVfioOnRootBus && machine != MachineType.Q35) {
      return Placement.ROOT_BUS;
    }
    return topology.defaultPlacement();
  }
}
