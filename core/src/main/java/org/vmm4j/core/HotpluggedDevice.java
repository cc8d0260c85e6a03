package org.vmm4j.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.vmm4j.persist.PciPath;

/**
 * A device a hotplug added, as {@code vmm4j hotplug} prints it: {@code DEVICE-ID PCI-PATH DETAILS}.
 *
 * @param id what {@link SandboxDevices#unplug} takes: a {@code DeviceState} ID, a vCPU's {@code
 *     cpu-N}, a memory device's QEMU id
 * @param pciPath where the guest finds it; nil for a device without one (a SCSI disk, a vCPU, a
 *     DIMM)
 * @param kind {@code block}, {@code vfio}, {@code vhost-user-blk}, {@code vhost-user-scsi}, {@code
 *     vhost-user-fs}, {@code cpu}, {@code memory} (extensions add theirs)
 * @param details what else there is to know, in a stable order (e.g. {@code qemu-id}, {@code
 *     driver}, {@code scsi})
 */
public record HotpluggedDevice(
    String id, PciPath pciPath, String kind, Map<String, String> details) {
  public HotpluggedDevice {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(pciPath, "pciPath");
    Objects.requireNonNull(kind, "kind");
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  /** {@code DEVICE-ID PCI-PATH key=value...} ({@code -} for a nil PCI path). */
  public String line() {
    StringBuilder b = new StringBuilder(id).append(' ');
    b.append(pciPath.isNil() ? "-" : pciPath.toString());
    details.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
    return b.toString();
  }
}
