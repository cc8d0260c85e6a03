package org.vmm4j.core;

import java.util.List;
import java.util.Optional;
import org.vmm4j.core.hotplug.HotplugRefusedException;
import org.vmm4j.core.hotplug.MemoryHotplug;
import org.vmm4j.core.hotplug.PluggedBlock;
import org.vmm4j.core.hotplug.PluggedVfio;
import org.vmm4j.core.hotplug.PluggedVhostUser;
import org.vmm4j.devices.Attachment;
import org.vmm4j.devices.ManagedDevice;
import org.vmm4j.persist.CpuDevice;
import org.vmm4j.persist.VfioDev;

/**
 * The unplugs {@link SandboxDevices} knows by itself, in the order it asks them: a {@code
 * DeviceState} (by its ID, or by its QEMU device id), a hot-plugged vCPU ({@code cpu-N}), a
 * hot-plugged memory device (its QEMU id, found through {@code query-memory-devices}).
 */
final class BuiltInUnplugs {
  static final List<UnplugResolver> ALL =
      List.of(BuiltInUnplugs::device, BuiltInUnplugs::vcpu, BuiltInUnplugs::memory);

  private BuiltInUnplugs() {}

  /**
   * A device of {@code Devices}: its last detach runs the unplug of its kind, then it is removed. A
   * device that containers share (more than one reference or attach) is refused.
   */
  static boolean device(HotplugSession s, String id) {
    Optional<ManagedDevice> found =
        s.devices().devices().stream()
            .filter(d -> d.id().equals(id) || qemuIds(d).contains(id))
            .findFirst();
    if (found.isEmpty()) {
      return false;
    }
    ManagedDevice md = found.get();
    s.stored().containers().entrySet().stream()
        .filter(c -> ContainerInfo.deviceUses(c.getValue()).contains(md.id()))
        .findFirst()
        .ifPresent(
            c -> {
              throw new HotplugRefusedException(
                  "sandbox "
                      + s.sandboxId()
                      + ": unplug device "
                      + md.id()
                      + ": container "
                      + c.getKey()
                      + " uses it: remove the container");
            });
    if (md.refCount() > 1 || md.attachCount() > 1) {
      throw new HotplugRefusedException(
          "sandbox "
              + s.sandboxId()
              + ": unplug device "
              + md.id()
              + ": it is shared ("
              + md.refCount()
              + " references, "
              + md.attachCount()
              + " attaches): its containers must let go of it first");
    }
    if (md.attached()) {
      s.devices().detach(md.id(), d -> detach(s, d));
    }
    s.devices().removeDevice(md.id());
    return true;
  }

  /** The unplug of a device's attachment (the last detach of it). */
  static void detach(HotplugSession s, ManagedDevice d) {
    Attachment a = d.attachment();
    if (a instanceof Attachment.Block b) {
      s.flows().block().unplug(PluggedBlock.fromBlockDrive(b.drive()));
    } else if (a instanceof Attachment.Vfio v) {
      s.flows().vfio().unplug(PluggedVfio.fromVfioDevs(d.id(), v.devices()));
    } else if (a instanceof Attachment.VhostUser v) {
      s.flows().vhostUser().unplug(PluggedVhostUser.fromAttrs(v.attrs()));
    } else if (!(a instanceof Attachment.None)) {
      throw new AssertionError(a);
    }
  }

  /** The QEMU device ids of a plugged device (what {@code /machine/peripheral} lists). */
  static List<String> qemuIds(ManagedDevice d) {
    Attachment a = d.attachment();
    if (a instanceof Attachment.Block b) {
      return List.of(PluggedBlock.fromBlockDrive(b.drive()).deviceId());
    } else if (a instanceof Attachment.Vfio v) {
      return v.devices().stream().map(VfioDev::id).toList();
    } else if (a instanceof Attachment.VhostUser v) {
      return List.of(PluggedVhostUser.fromAttrs(v.attrs()).deviceId());
    }
    return List.of();
  }

  /** A vCPU of {@code HotpluggedVCPUs}. */
  static boolean vcpu(HotplugSession s, String id) {
    List<CpuDevice> vcpus = s.stored().sandbox().hypervisorState().hotpluggedVcpus();
    if (vcpus == null || vcpus.stream().noneMatch(c -> c.id().equals(id))) {
      return false;
    }
    s.flows().cpus().removeVcpu(id);
    return true;
  }

  /** A DIMM vmm4j hot-plugged, as QEMU lists it; virtio-mem is resized, never unplugged. */
  static boolean memory(HotplugSession s, String id) {
    if (id.equals(MemoryHotplug.VIRTIO_MEM_ID)) {
      throw new HotplugRefusedException(
          "sandbox "
              + s.sandboxId()
              + ": unplug "
              + id
              + ": the virtio-mem device stays; its size is what changes");
    }
    if (!id.startsWith(MemoryHotplug.DIMM_PREFIX) || s.flows().memory().dimm(id).isEmpty()) {
      return false;
    }
    s.flows().memory().removeDimm(id);
    return true;
  }
}
