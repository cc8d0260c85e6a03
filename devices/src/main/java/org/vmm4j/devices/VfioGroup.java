package org.vmm4j.devices;

import java.util.List;

/**
 * An IOMMU group: what a VFIO hotplug plugs, all members or none (a partial group is rolled back).
 *
 * @param number the group number ({@code /dev/vfio/<number>})
 * @param members every device of the group, in sysfs name order (Kata's {@code ReadDir} order)
 */
public record VfioGroup(int number, List<VfioHostDevice> members) {
  public VfioGroup {
    members = List.copyOf(members);
    if (members.isEmpty()) {
      throw new IllegalArgumentException("IOMMU group " + number + " has no devices");
    }
  }

  /** {@code /dev/vfio/<number>}: the host path of the group's device. */
  public String devicePath() {
    return "/dev/vfio/" + number;
  }
}
