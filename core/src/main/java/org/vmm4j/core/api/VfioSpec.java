package org.vmm4j.core.api;

import java.nio.file.Path;
import java.util.Objects;
import org.vmm4j.devices.VfioDiscovery;

/**
 * A VFIO device for {@link SandboxDevices#plugVfio}: every member of its IOMMU group is plugged.
 *
 * @param device a PCI address ({@code DDDD:BB:DD.F}), {@code /dev/vfio/<group>}, a mediated
 *     device's sysfs path or UUID ({@link VfioDiscovery#discover})
 * @param sysfsRoot where to look the group up ({@code /sys} on a host)
 * @param requireVfioDevices check first that the host has {@code /dev/vfio/<group>} (off only for a
 *     sysfs tree that is not the host's, e.g. to watch QEMU refuse a device that is not there)
 */
public record VfioSpec(String device, Path sysfsRoot, boolean requireVfioDevices) {
  /** Where the host's VFIO group devices are. */
  public static final Path DEV_VFIO = Path.of("/dev/vfio");

  public VfioSpec {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(sysfsRoot, "sysfsRoot");
  }

  /** {@code device} on this host ({@code /sys}, {@code /dev/vfio} required). */
  public static VfioSpec of(String device) {
    return new VfioSpec(device, VfioDiscovery.DEFAULT_SYSFS, true);
  }
}
