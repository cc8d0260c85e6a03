package org.vmm4j.core.internal.reconcile;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.Reconciliation.Missing;
import org.vmm4j.core.api.Reconciliation.MissingKind;
import org.vmm4j.core.internal.hotplug.DeviceRecord;
import org.vmm4j.core.internal.hotplug.DeviceTable;
import org.vmm4j.core.internal.hotplug.SandboxModel;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.persist.StoredSandbox;

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
    SandboxModel m = SandboxModel.of(new StoredSandbox(st, Map.of()), "", false);
    Map<String, Missing> ids = new LinkedHashMap<>();
    Set<String> nodes = new HashSet<>();
    Set<String> keys = new HashSet<>();
    for (DeviceRecord r : DeviceTable.recorded(m)) {
      MissingKind kind = kind(r);
      for (Device.QemuDevice q : r.device().qemuDevices()) {
        put(ids, keys, kind, r.id(), q.id());
        if (kind == MissingKind.ENDPOINT && q.id().startsWith("virtio-")) {
          keys.add(q.id().substring("virtio-".length()));
        }
      }
      for (DeviceRecord.Backend b : r.backends()) {
        if (b instanceof DeviceRecord.BlockNode n) {
          nodes.add(n.id());
          keys.add(n.id()); // Kata keys DeviceAddr by the drive id
        }
      }
    }
    return new Recorded(ids, nodes, keys);
  }

  private static MissingKind kind(DeviceRecord r) {
    DeviceRecord.Source s = r.source();
    if (s instanceof DeviceRecord.KataEndpoint) {
      return MissingKind.ENDPOINT;
    }
    return s instanceof DeviceRecord.HotpluggedVcpu ? MissingKind.VCPU : MissingKind.DEVICE;
  }

  private static void put(
      Map<String, Missing> ids, Set<String> keys, MissingKind kind, String id, String qemuId) {
    ids.put(qemuId, new Missing(kind, id, qemuId));
    keys.add(qemuId);
  }
}
