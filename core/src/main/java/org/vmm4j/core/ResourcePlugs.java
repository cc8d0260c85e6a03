package org.vmm4j.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vmm4j.core.hotplug.MemoryHotplug;
import org.vmm4j.core.hotplug.PluggedDimm;
import org.vmm4j.persist.PciPath;
import org.vmm4j.qmp.CpuInstanceProperties;

/** The vCPU and memory plugs of {@link SandboxDevices} inside a session, and what to print. */
final class ResourcePlugs {
  private ResourcePlugs() {}

  /** {@code count} vCPUs: one line each, {@code cpu-N} with its topology. */
  static List<HotpluggedDevice> vcpus(DeviceSession s, int count) {
    Map<String, CpuInstanceProperties> placed = s.flows().cpus().addPlaced(count);
    long total = s.flows().cpus().current();
    List<HotpluggedDevice> out = new ArrayList<>();
    placed.forEach(
        (id, p) -> {
          Map<String, String> details = new LinkedHashMap<>();
          p.toJson().properties().forEach(e -> details.put(e.getKey(), e.getValue().asString()));
          details.put("vcpus", Long.toString(total));
          out.add(new HotpluggedDevice(id, PciPath.NIL, "cpu", details));
        });
    return out;
  }

  /** A DIMM of {@code sizeMiB}, or (with {@code VirtioMem}) that much more of virtio-mem. */
  static HotpluggedDevice memory(DeviceSession s, long sizeMiB) {
    MemoryHotplug m = s.flows().memory();
    Map<String, String> details = new LinkedHashMap<>();
    if (s.profile().memoryLimits().virtioMem()) {
      m.setupVirtioMem(s.flows().context().topology().defaultPlacement());
      long total = m.add(sizeMiB);
      details.put("requested-size", total + "M");
      details.put("hotplugged", total + "M");
      PciPath path =
          s.flows()
              .context()
              .topology()
              .find(MemoryHotplug.VIRTIO_MEM_ID)
              .map(r -> r.pciPath())
              .orElse(PciPath.NIL);
      return new HotpluggedDevice(MemoryHotplug.VIRTIO_MEM_ID, path, "memory", details);
    }
    PluggedDimm d = m.addDimm(sizeMiB);
    details.put("size", d.sizeMiB() + "M");
    details.put("memdev", d.memdev());
    details.put("hotplugged", m.hotpluggedMiB() + "M");
    return new HotpluggedDevice(d.id(), PciPath.NIL, "memory", details);
  }
}
