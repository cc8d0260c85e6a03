package org.vmm4j.core.reconcile;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vmm4j.core.Reconciliation.Missing;
import org.vmm4j.core.Reconciliation.MissingKind;
import org.vmm4j.core.hotplug.PluggedVhostUser;
import org.vmm4j.core.net.RecordedEndpoint;
import org.vmm4j.core.net.RecordedEndpoints;
import org.vmm4j.devices.Attachment;
import org.vmm4j.devices.ManagedDevice;
import org.vmm4j.devices.PciTopology;
import org.vmm4j.persist.CpuDevice;
import org.vmm4j.persist.DeviceState;
import org.vmm4j.persist.HypervisorState;
import org.vmm4j.persist.SandboxState;

/**
 * What a persisted state says QEMU has: per QEMU device id, the record it belongs to ({@code
 * DeviceState}, network endpoint, hot-plugged vCPU), the block nodes of its drives, and the ids
 * Kata keys {@code DeviceAddr} with (the drive id {@code drive-..}, an endpoint's bare UUID).
 *
 * @param byQemuId per QEMU device id: what is missing when QEMU does not have it
 * @param nodes the recorded drives' block nodes ({@code BlockDrive.ID})
 * @param slotKeys every id a recorded device may hold a {@code DeviceAddr} slot under
 */
record Recorded(Map<String, Missing> byQemuId, Set<String> nodes, Set<String> slotKeys) {

  static Recorded of(SandboxState st) {
    String sid = st.sandboxContainer();
    Map<String, Missing> ids = new LinkedHashMap<>();
    Set<String> nodes = new HashSet<>();
    Set<String> keys = new HashSet<>();
    for (DeviceState ds : st.devices() == null ? List.<DeviceState>of() : st.devices()) {
      Attachment a = ManagedDevice.fromDeviceState(sid, ds).attachment();
      if (a instanceof Attachment.Block b) {
        nodes.add(b.drive().id());
        keys.add(b.drive().id());
        put(ids, keys, MissingKind.DEVICE, ds.id(), "virtio-" + b.drive().id());
      } else if (a instanceof Attachment.Vfio v) {
        v.devices().forEach(d -> put(ids, keys, MissingKind.DEVICE, ds.id(), d.id()));
      } else if (a instanceof Attachment.VhostUser v) {
        String qemuId = PluggedVhostUser.fromAttrs(v.attrs()).deviceId();
        put(ids, keys, MissingKind.DEVICE, ds.id(), qemuId);
      } else if (!(a instanceof Attachment.None)) {
        throw new AssertionError(a);
      }
    }
    HypervisorState hs = st.hypervisorState();
    if (st.network() != null) {
      PciTopology topology = PciTopology.restore(sid, hs.bridges());
      for (RecordedEndpoint e : RecordedEndpoints.read(st.network(), hs.bridges(), topology)) {
        if (!e.deviceId().isEmpty()) {
          put(ids, keys, MissingKind.ENDPOINT, e.name(), e.deviceId());
          if (e.deviceId().startsWith("virtio-")) {
            keys.add(e.deviceId().substring("virtio-".length()));
          }
        }
      }
    }
    for (CpuDevice c : hs.hotpluggedVcpus() == null ? List.<CpuDevice>of() : hs.hotpluggedVcpus()) {
      put(ids, keys, MissingKind.VCPU, c.id(), c.id());
    }
    return new Recorded(ids, nodes, keys);
  }

  private static void put(
      Map<String, Missing> ids, Set<String> keys, MissingKind kind, String id, String qemuId) {
    ids.put(qemuId, new Missing(kind, id, qemuId));
    keys.add(qemuId);
  }
}
