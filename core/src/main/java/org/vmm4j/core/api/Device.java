package org.vmm4j.core.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.vmm4j.persist.PciPath;

/**
 * One plugged thing of a sandbox, whatever its kind: a disk, a VFIO group, a vhost-user device, a
 * network endpoint, a vCPU, a memory device. {@link SandboxDevices#list()} gives every one of them;
 * {@link SandboxDevices#unplug(String)} takes its {@link #id()}.
 *
 * @param id what {@code unplug} takes: a {@code DeviceState} ID (disks, VFIO, vhost-user), an
 *     endpoint's name ({@code eth0}, {@code vhost-user-0}), a vCPU's {@code cpu-N}, a memory
 *     device's QEMU id ({@code dimmmemN})
 * @param kind what it is
 * @param qemuDevices its QEMU devices with where the guest sees each (a VFIO group has one per
 *     member; the others one)
 * @param details what else there is to know, in a stable order (e.g. {@code qemu-id}, {@code
 *     driver}, {@code file}, {@code mac})
 */
public record Device(
    String id, DeviceKind kind, List<QemuDevice> qemuDevices, Map<String, String> details) {
  public Device {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    qemuDevices = List.copyOf(qemuDevices);
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  /**
   * A QEMU device of a {@link Device}.
   *
   * @param id its id in QEMU ({@code /machine/peripheral/<id>})
   * @param pciPath where the guest finds it; nil for a device without one (a SCSI disk, a vCPU, a
   *     DIMM) or when unknown
   * @param details what is known of this QEMU device alone, for a device of several (a VFIO group's
   *     member: its {@code qemu-id}, {@code host}, {@code group}); empty otherwise
   */
  public record QemuDevice(String id, PciPath pciPath, Map<String, String> details) {
    public QemuDevice {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(pciPath, "pciPath");
      details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public QemuDevice(String id, PciPath pciPath) {
      this(id, pciPath, Map.of());
    }
  }

  /** The PCI path of its first QEMU device; nil when it has none. */
  public PciPath pciPath() {
    return qemuDevices.isEmpty() ? PciPath.NIL : qemuDevices.get(0).pciPath();
  }

  /** The id of its first QEMU device; "" when it has none. */
  public String qemuId() {
    return qemuDevices.isEmpty() ? "" : qemuDevices.get(0).id();
  }

  /**
   * {@code vmm4j hotplug}'s lines: {@code DEVICE-ID PCI-PATH key=value...} ({@code -} for a nil PCI
   * path), one per QEMU device of a device of several (a VFIO group's members, each with its own
   * details), else one.
   */
  public List<String> lines() {
    if (qemuDevices.size() <= 1) {
      return List.of(line(pciPath(), details));
    }
    return qemuDevices.stream()
        .map(q -> line(q.pciPath(), q.details().isEmpty() ? details : q.details()))
        .toList();
  }

  private String line(PciPath path, Map<String, String> d) {
    StringBuilder b = new StringBuilder(id).append(' ');
    b.append(path.isNil() ? "-" : path.toString());
    d.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
    return b.toString();
  }
}
