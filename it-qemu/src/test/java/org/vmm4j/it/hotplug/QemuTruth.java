package org.vmm4j.it.hotplug;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.vmm4j.persist.BlockDrive;
import org.vmm4j.persist.Bridge;
import org.vmm4j.persist.CpuDevice;
import org.vmm4j.persist.DeviceState;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.persist.VhostUserDeviceAttrs;
import org.vmm4j.qmp.BlockNodeInfo;
import org.vmm4j.qmp.HotpluggableCpu;
import org.vmm4j.qmp.MemoryDeviceInfo;
import org.vmm4j.qmp.PciBus;
import org.vmm4j.qmp.PciDevice;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.qmp.QomGet;
import org.vmm4j.qmp.QomList;
import org.vmm4j.qmp.QomProperty;
import org.vmm4j.qmp.QueryHotpluggableCpus;
import org.vmm4j.qmp.QueryMemoryDevices;
import org.vmm4j.qmp.QueryNamedBlockNodes;
import org.vmm4j.qmp.QueryPci;
import tools.jackson.databind.JsonNode;

/**
 * The persisted {@code DeviceState}s and {@code HypervisorState} against what QEMU reports: every
 * recorded device is in {@code /machine/peripheral} at its {@code PCIPath} (the {@code query-pci}
 * bus/slot chain) or SCSI id and LUN, every {@code DeviceAddr} entry is where QEMU has the device,
 * every block node and vhost-user chardev belongs to a recorded device, nothing hot-plugged is
 * missing from the state, {@code HotpluggedVCPUs} are the vCPUs in QEMU's slots and {@code
 * HotpluggedMemory} is the sum of the DIMMs.
 */
final class QemuTruth {
  private QemuTruth() {}

  /** Device ids vmm4j gives what it hot-plugs (anything else in the peripheral is not ours). */
  static boolean hotplugged(String qemuId) {
    return qemuId.startsWith("virtio-drive-")
        || qemuId.startsWith("virtio-blk-")
        || qemuId.startsWith("virtio-scsi-")
        || qemuId.startsWith("virtio-fs-")
        || qemuId.startsWith("vfio-")
        || qemuId.startsWith("dimmmem");
  }

  static void assertMatches(SandboxState st, QmpClient qmp) {
    List<PciBus> pci = qmp.call(new QueryPci());
    Set<String> peripheral = peripheral(qmp);
    Set<String> recorded = new HashSet<>();
    Set<String> nodes = new HashSet<>();
    Set<String> chardevs = new HashSet<>();
    for (DeviceState d : st.devices() == null ? List.<DeviceState>of() : st.devices()) {
      BlockDrive b = d.blockDrive();
      VhostUserDeviceAttrs v = d.vhostUserDev();
      if (b != null) {
        String id = "virtio-" + b.id();
        recorded.add(id);
        nodes.add(b.id());
        assertThat(peripheral).as("device %s", d.id()).contains(id);
        if (b.scsiAddr().isEmpty()) {
          assertThat(pciPath(pci, id)).as("%s in query-pci", id).contains(b.pciPath().toString());
        } else {
          String[] idLun = b.scsiAddr().split(":");
          assertThat(qomGet(qmp, id, "scsi-id").asInt()).isEqualTo(Integer.parseInt(idLun[0]));
          assertThat(qomGet(qmp, id, "lun").asInt()).isEqualTo(Integer.parseInt(idLun[1]));
        }
      } else if (v != null) {
        String id = "virtio-" + v.devId();
        recorded.add(id);
        chardevs.add(v.devId());
        assertThat(peripheral).as("device %s", d.id()).contains(id);
        assertThat(pciPath(pci, id)).as("%s in query-pci", id).contains(v.pciPath().toString());
      }
    }
    for (Bridge br : st.hypervisorState().bridges()) {
      if (br.deviceAddr() != null) {
        br.deviceAddr()
            .forEach(
                (slot, id) ->
                    assertThat(pciPath(pci, id))
                        .as("%s, slot %d of %s", id, slot, br.id())
                        .contains(String.format("%02x/%02x", br.addr(), slot)));
      }
    }
    assertThat(peripheral.stream().filter(QemuTruth::hotplugged).filter(p -> !p.startsWith("dimm")))
        .as("hot-plugged devices in QEMU, all recorded")
        .containsExactlyInAnyOrderElementsOf(recorded);
    assertThat(driveNodes(qmp)).as("block nodes").containsExactlyInAnyOrderElementsOf(nodes);
    assertThat(vhostChardevs(qmp))
        .as("vhost-user chardevs")
        .containsExactlyInAnyOrderElementsOf(chardevs);
    assertThat(st.hypervisorState().blockIndexMap()).as("BlockIndexMap").hasSize(blockDevices(st));
    assertThat(vcpus(qmp))
        .as("HotpluggedVCPUs vs query-hotpluggable-cpus")
        .containsExactlyInAnyOrderElementsOf(
            st.hypervisorState().hotpluggedVcpus() == null
                ? List.of()
                : st.hypervisorState().hotpluggedVcpus().stream().map(CpuDevice::id).toList());
    assertThat(dimmMiB(qmp))
        .as("HotpluggedMemory vs query-memory-devices")
        .isEqualTo(st.hypervisorState().hotpluggedMemory());
  }

  private static int blockDevices(SandboxState st) {
    int n = 0;
    for (DeviceState d : st.devices() == null ? List.<DeviceState>of() : st.devices()) {
      if (d.blockDrive() != null || (d.vhostUserDev() != null && d.vhostUserDev().index() >= 0)) {
        n++;
      }
    }
    return n;
  }

  static Set<String> peripheral(QmpClient qmp) {
    Set<String> ids = new HashSet<>();
    for (QomProperty p : qmp.call(new QomList(QomList.PERIPHERAL))) {
      if (p.isChild()) {
        ids.add(p.name());
      }
    }
    return ids;
  }

  static JsonNode qomGet(QmpClient qmp, String id, String property) {
    return qmp.call(new QomGet(QomList.PERIPHERAL + "/" + id, property));
  }

  /** The bus/slot chain QEMU reports for {@code qdevId} ({@code 02/01}). */
  static Optional<String> pciPath(List<PciBus> buses, String qdevId) {
    for (PciBus b : buses) {
      Optional<String> p = pciPath(b.devices(), qdevId, "");
      if (p.isPresent()) {
        return p;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> pciPath(List<PciDevice> devices, String id, String prefix) {
    for (PciDevice d : devices) {
      String here =
          prefix + String.format("%02x", d.slot()) + (d.function() == 0 ? "" : "." + d.function());
      if (id.equals(d.qdevId())) {
        return Optional.of(here);
      }
      if (d.pciBridge() != null) {
        Optional<String> below = pciPath(d.pciBridge().devices(), id, here + "/");
        if (below.isPresent()) {
          return below;
        }
      }
    }
    return Optional.empty();
  }

  static Set<String> driveNodes(QmpClient qmp) {
    Set<String> out = new HashSet<>();
    for (BlockNodeInfo n : qmp.call(new QueryNamedBlockNodes())) {
      if (n.nodeName().startsWith("drive-")) {
        out.add(n.nodeName());
      }
    }
    return out;
  }

  static Set<String> chardevs(QmpClient qmp) {
    Set<String> out = new HashSet<>();
    for (JsonNode c : qmp.execute("query-chardev", null)) {
      out.add(c.path("label").asString());
    }
    return out;
  }

  static Set<String> vhostChardevs(QmpClient qmp) {
    Set<String> out = new HashSet<>();
    for (String c : chardevs(qmp)) {
      if (c.startsWith("blk-") || c.startsWith("scsi-") || c.startsWith("fs-")) {
        out.add(c);
      }
    }
    return out;
  }

  static List<String> vcpus(QmpClient qmp) {
    List<String> ids = new ArrayList<>();
    for (HotpluggableCpu c : qmp.call(new QueryHotpluggableCpus())) {
      if (c.qomPath() != null && c.qomPath().startsWith(QomList.PERIPHERAL + "/")) {
        ids.add(c.qomPath().substring(QomList.PERIPHERAL.length() + 1));
      }
    }
    return ids;
  }

  static long dimmMiB(QmpClient qmp) {
    long bytes = 0;
    for (MemoryDeviceInfo m : qmp.call(new QueryMemoryDevices())) {
      if ("dimm".equals(m.type()) && m.id() != null && m.id().startsWith("dimmmem")) {
        bytes += m.size();
      }
    }
    return bytes >> 20;
  }
}
