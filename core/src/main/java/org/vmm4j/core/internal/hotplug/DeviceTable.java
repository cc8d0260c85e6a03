package org.vmm4j.core.internal.hotplug;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.Device.QemuDevice;
import org.vmm4j.core.api.DeviceKind;
import org.vmm4j.core.internal.hotplug.DeviceRecord.Backend;
import org.vmm4j.core.internal.hotplug.DeviceRecord.BlockNode;
import org.vmm4j.core.internal.hotplug.DeviceRecord.Chardev;
import org.vmm4j.core.internal.hotplug.DeviceRecord.MemoryObject;
import org.vmm4j.core.internal.hotplug.DeviceRecord.Netdev;
import org.vmm4j.core.internal.net.RecordedEndpoint;
import org.vmm4j.core.internal.net.RecordedEndpoints;
import org.vmm4j.devices.Attachment;
import org.vmm4j.devices.ManagedDevice;
import org.vmm4j.devices.PciTopology;
import org.vmm4j.devices.SlotReservation;
import org.vmm4j.network.Endpoint;
import org.vmm4j.persist.BlockDrive;
import org.vmm4j.persist.PciPath;
import org.vmm4j.persist.VfioDev;
import org.vmm4j.persist.VhostUserDeviceAttrs;
import org.vmm4j.qmp.MemoryDeviceInfo;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.qmp.QomGet;
import org.vmm4j.qmp.QomList;
import org.vmm4j.qmp.QueryMemoryDevices;

/**
 * Every plugged thing of a model as a {@link DeviceRecord}, read out of the Kata fields that hold
 * it: {@code Devices} (disks, VFIO groups, vhost-user devices), {@code NetworkInfo.Endpoints},
 * {@code HotpluggedVCPUs}. The hot-plugged DIMMs are not in Kata's schema: they are asked of QEMU
 * ({@code query-memory-devices}), only when a listing or an unplug needs them, never on every
 * transaction.
 */
public final class DeviceTable {
  /** DIMM device ids are {@code dimmmem<N>}, their backends {@code mem<N>} (Kata). */
  public static final String DIMM_PREFIX = "dimmmem";

  static final long MIB = 1L << 20;

  private DeviceTable() {}

  /**
   * The records the model's state holds, in schema order: devices, endpoints, vCPUs (no DIMMs).
   *
   * @throws IllegalArgumentException for an endpoint record of an unknown type
   */
  public static List<DeviceRecord> recorded(SandboxModel m) {
    List<DeviceRecord> out = new ArrayList<>();
    for (ManagedDevice md : m.devices().devices()) {
      out.add(of(md, m.topology()));
    }
    for (RecordedEndpoint e : endpoints(m)) {
      out.add(of(e));
    }
    for (String id : m.vcpus()) {
      out.add(vcpu(id, Map.of()));
    }
    return out;
  }

  /** {@link #recorded} and the DIMMs QEMU lists; only the plugged ones (attached devices). */
  public static List<DeviceRecord> plugged(SandboxModel m, QmpClient qmp, Deadlines d) {
    List<DeviceRecord> out = new ArrayList<>();
    for (DeviceRecord r : recorded(m)) {
      if (!r.device().qemuDevices().isEmpty()) {
        out.add(r);
      }
    }
    out.addAll(dimms(qmp, d));
    return out;
  }

  /**
   * The record with this id, or whose QEMU device has this id; a DIMM is looked for in QEMU only
   * when the state has no such record and the id is a DIMM's.
   */
  public static Optional<DeviceRecord> find(SandboxModel m, String id, QmpClient qmp, Deadlines d) {
    for (DeviceRecord r : recorded(m)) {
      if (r.id().equals(id) || r.device().qemuDevices().stream().anyMatch(q -> q.id().equals(id))) {
        return Optional.of(r);
      }
    }
    if (id.startsWith(DIMM_PREFIX)) {
      return dimms(qmp, d).stream().filter(r -> r.id().equals(id)).findFirst();
    }
    return Optional.empty();
  }

  /** The model's endpoints with their QEMU ids and PCI paths. */
  public static List<RecordedEndpoint> endpoints(SandboxModel m) {
    return RecordedEndpoints.read(m.endpoints(), m.topology());
  }

  /** A {@code Devices} entry: attached, its QEMU devices and backends; else none. */
  static DeviceRecord of(ManagedDevice md, PciTopology topology) {
    Attachment a = md.attachment();
    if (a instanceof Attachment.Block b) {
      return block(md.id(), b.drive(), topology);
    } else if (a instanceof Attachment.Vfio v) {
      return vfio(md, v.devices(), topology);
    } else if (a instanceof Attachment.VhostUser v) {
      return vhostUser(md.id(), v.attrs(), topology);
    } else if (a instanceof Attachment.None) {
      Device d = new Device(md.id(), kind(md), List.of(), Map.of());
      return new DeviceRecord(
          d, List.of(), List.of(), OptionalInt.empty(), new DeviceRecord.KataDevice());
    }
    throw new AssertionError(a);
  }

  private static DeviceKind kind(ManagedDevice md) {
    return switch (md.info().kind()) {
      case BLOCK -> DeviceKind.BLOCK;
      case VFIO -> DeviceKind.VFIO;
      case VHOST_USER_BLK -> DeviceKind.VHOST_USER_BLK;
      case VHOST_USER_SCSI -> DeviceKind.VHOST_USER_SCSI;
      case VHOST_USER_FS -> DeviceKind.VHOST_USER_FS;
      case VHOST_USER_NET -> DeviceKind.VHOST_USER_NET;
      default -> DeviceKind.BLOCK;
    };
  }

  /** A disk of {@code Devices}: {@code virtio-<drive id>} on its slot, or a SCSI disk. */
  static DeviceRecord block(String id, BlockDrive d, PciTopology topology) {
    String qemuId = "virtio-" + d.id();
    boolean scsi = !d.scsiAddr().isEmpty();
    // Kata keys DeviceAddr by the drive id, vmm4j by the QEMU device id
    Optional<SlotReservation> slot = topology.find(qemuId).or(() -> topology.find(d.id()));
    PciPath path = scsi ? PciPath.NIL : pathOr(d.pciPath(), slot);
    Map<String, String> details = new LinkedHashMap<>();
    details.put("qemu-id", qemuId);
    details.put("driver", scsi ? "virtio-scsi" : "virtio-blk");
    if (scsi) {
      details.put("scsi", d.scsiAddr());
    } else {
      details.put("virt-path", d.virtPath());
    }
    details.put("format", d.format().isEmpty() ? "raw" : d.format());
    details.put("file", d.file());
    Device dev = new Device(id, DeviceKind.BLOCK, List.of(new QemuDevice(qemuId, path)), details);
    return new DeviceRecord(
        dev,
        List.of(slot.map(SlotReservation::deviceId).orElse("")),
        List.of(new BlockNode(d.id())),
        OptionalInt.of(Math.toIntExact(d.index())),
        new DeviceRecord.KataDevice());
  }

  private static DeviceRecord vfio(ManagedDevice md, List<VfioDev> devs, PciTopology topology) {
    // /dev/vfio/<group>; a device read back from the state has no host path (Kata's DeviceState
    // keeps none for VFIO), and then the group is not known
    String hostPath = md.info().hostPath();
    String group = hostPath.substring(hostPath.lastIndexOf('/') + 1);
    List<QemuDevice> parts = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (VfioDev v : devs) {
      Optional<SlotReservation> slot = topology.find(v.id());
      Map<String, String> details = new LinkedHashMap<>();
      details.put("qemu-id", v.id());
      details.put("host", v.bdf().isEmpty() ? v.sysfsDev() : v.bdf());
      if (!group.isEmpty()) {
        details.put("group", group);
      }
      parts.add(new QemuDevice(v.id(), pathOr(PciPath.NIL, slot), details));
      keys.add(slot.map(SlotReservation::deviceId).orElse(""));
    }
    Map<String, String> first = parts.isEmpty() ? Map.of() : parts.get(0).details();
    return new DeviceRecord(
        new Device(md.id(), DeviceKind.VFIO, parts, first),
        keys,
        List.of(),
        OptionalInt.empty(),
        new DeviceRecord.KataDevice());
  }

  private static DeviceRecord vhostUser(String id, VhostUserDeviceAttrs a, PciTopology topology) {
    DeviceKind kind =
        switch (a.type()) {
          case "vhost-user-blk-pci" -> DeviceKind.VHOST_USER_BLK;
          case "vhost-user-scsi-pci" -> DeviceKind.VHOST_USER_SCSI;
          case "vhost-user-fs-pci" -> DeviceKind.VHOST_USER_FS;
          case "virtio-net-pci" -> DeviceKind.VHOST_USER_NET;
          default -> throw new IllegalArgumentException("not a vhost-user Type: " + a.type());
        };
    String qemuId = "virtio-" + a.devId();
    Optional<SlotReservation> slot = topology.find(qemuId);
    Map<String, String> details = new LinkedHashMap<>();
    details.put("qemu-id", qemuId);
    details.put("chardev", a.devId());
    details.put("socket", a.socketPath());
    List<Backend> backends = new ArrayList<>(List.of(new Chardev(a.devId())));
    if (kind == DeviceKind.VHOST_USER_NET) {
      backends.add(new Netdev("net-" + a.devId()));
    }
    return new DeviceRecord(
        new Device(id, kind, List.of(new QemuDevice(qemuId, pathOr(a.pciPath(), slot))), details),
        List.of(slot.map(SlotReservation::deviceId).orElse("")),
        backends,
        a.index() >= 0 && kind == DeviceKind.VHOST_USER_BLK
            ? OptionalInt.of(Math.toIntExact(a.index()))
            : OptionalInt.empty(),
        new DeviceRecord.KataDevice());
  }

  /** An endpoint: its NIC (none for a physical one) and netdev (and a vhost-user one's chardev). */
  static DeviceRecord of(RecordedEndpoint r) {
    Endpoint e = r.endpoint();
    boolean vhostUser = e instanceof Endpoint.VhostUser;
    List<QemuDevice> parts =
        r.deviceId().isEmpty() ? List.of() : List.of(new QemuDevice(r.deviceId(), r.pciPath()));
    List<Backend> backends = new ArrayList<>();
    if (vhostUser) {
      String dev = r.deviceId().substring("virtio-".length());
      backends.add(new Chardev(dev));
      backends.add(new Netdev("net-" + dev));
    } else if (!r.netdevId().isEmpty()) {
      backends.add(new Netdev(r.netdevId()));
    }
    Device d =
        new Device(
            e.name(),
            vhostUser ? DeviceKind.VHOST_USER_NET : DeviceKind.NETWORK,
            parts,
            EndpointDetails.of(e, 0, ""));
    return new DeviceRecord(
        d,
        parts.stream().map(q -> r.slotKey()).toList(),
        backends,
        OptionalInt.empty(),
        new DeviceRecord.KataEndpoint(r.index()));
  }

  /** A hot-plugged vCPU ({@code cpu-N}, no PCI path). */
  static DeviceRecord vcpu(String id, Map<String, String> details) {
    return new DeviceRecord(
        new Device(id, DeviceKind.VCPU, List.of(new QemuDevice(id, PciPath.NIL)), details),
        List.of(""),
        List.of(),
        OptionalInt.empty(),
        new DeviceRecord.HotpluggedVcpu());
  }

  /** A DIMM vmm4j hot-plugged ({@code dimmmem<N>} with backend {@code mem<N>}). */
  static DeviceRecord dimm(String id, String memdev, long sizeMiB, Map<String, String> extra) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("size", sizeMiB + "M");
    details.put("memdev", memdev);
    details.putAll(extra);
    return new DeviceRecord(
        new Device(id, DeviceKind.MEMORY, List.of(new QemuDevice(id, PciPath.NIL)), details),
        List.of(""),
        List.of(new MemoryObject(memdev)),
        OptionalInt.empty(),
        new DeviceRecord.Dimm(sizeMiB));
  }

  /** The DIMMs vmm4j hot-plugged ({@code dimmmem<N>}), as {@code query-memory-devices} has them. */
  static List<DeviceRecord> dimms(QmpClient qmp, Deadlines d) {
    List<DeviceRecord> out = new ArrayList<>();
    for (MemoryDeviceInfo m : qmp.call(new QueryMemoryDevices(), d.command())) {
      if ("dimm".equals(m.type()) && m.id() != null && m.id().startsWith(DIMM_PREFIX)) {
        String memdev =
            m.memdev() == null ? "" : m.memdev().substring(m.memdev().lastIndexOf('/') + 1);
        out.add(dimm(m.id(), memdev, m.size() / MIB, Map.of()));
      }
    }
    return out;
  }

  /**
   * A DIMM vmm4j hot-plugged that QEMU deleted without a request of this process (the guest ejected
   * it) while its backend {@code mem<N>} is still there: its record, the size read from the
   * backend. Empty when the backend is gone too (whoever removed the DIMM finished its unplug) or
   * {@code id} is not a DIMM's.
   */
  public static Optional<DeviceRecord> deletedDimm(Tx tx, String id) {
    if (!id.startsWith(DIMM_PREFIX)) {
      return Optional.empty();
    }
    String memdev = MemoryPlug.BACKEND_PREFIX + id.substring(DIMM_PREFIX.length());
    boolean there =
        tx.call(new QomList("/objects")).stream()
            .anyMatch(p -> p.isChild() && p.name().equals(memdev));
    if (!there) {
      return Optional.empty();
    }
    long bytes = tx.call(new QomGet("/objects/" + memdev, "size")).asLong();
    return Optional.of(dimm(id, memdev, bytes / MIB, Map.of()));
  }

  private static PciPath pathOr(PciPath recorded, Optional<SlotReservation> slot) {
    return recorded.isNil() ? slot.map(SlotReservation::pciPath).orElse(PciPath.NIL) : recorded;
  }
}
