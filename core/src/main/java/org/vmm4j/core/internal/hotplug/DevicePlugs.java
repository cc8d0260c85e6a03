package org.vmm4j.core.internal.hotplug;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.vmm4j.core.api.BlockDriver;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.Device.QemuDevice;
import org.vmm4j.core.api.DeviceKind;
import org.vmm4j.core.api.DiskSpec;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.VhostUserSpec;
import org.vmm4j.devices.Attachment;
import org.vmm4j.devices.HostDevice;
import org.vmm4j.devices.ManagedDevice;
import org.vmm4j.devices.Placement;
import org.vmm4j.devices.VfioGroup;
import org.vmm4j.persist.BlockDrive;
import org.vmm4j.persist.PciPath;
import org.vmm4j.persist.VhostUserDeviceAttrs;
import org.vmm4j.qmp.CpuInstanceProperties;

/**
 * The plugs of {@code Devices} kinds inside a transaction: a new device of the model's device
 * manager for the host device (refused when that host device is in the sandbox already), its first
 * attach running the flow, the undo of both registered, and the {@link Device} it became; and the
 * vCPU and memory plugs.
 */
public final class DevicePlugs {
  private DevicePlugs() {}

  /** Plugs a disk: virtio-blk on a bridge slot or root port, or a SCSI disk on {@code scsi0}. */
  public static Device disk(Tx tx, HypervisorConfig config, DiskSpec d, HostDevice info) {
    ManagedDevice md = newDevice(tx, info, "disk " + d.file());
    BlockDrive drive = attach(tx, md, x -> BlockPlug.plug(tx, blockRequest(tx, config, d, x)));
    Device dev = DeviceTable.block(md.id(), drive, tx.model().topology()).device();
    Map<String, String> details = new LinkedHashMap<>(dev.details());
    String file = details.remove("file");
    details.put("readonly", Boolean.toString(d.readOnly()));
    details.put("file", file);
    Device out = new Device(dev.id(), dev.kind(), dev.qemuDevices(), details);
    tx.added(out);
    return out;
  }

  /**
   * One more attach of disk {@code md} (a container's use of it): the first plugs {@code d}, later
   * ones only count.
   */
  public static ManagedDevice attachDisk(
      Tx tx, HypervisorConfig config, ManagedDevice md, DiskSpec d) {
    boolean first = !md.attached();
    undoAttach(tx, md);
    ManagedDevice after =
        tx.model()
            .devices()
            .attach(
                md.id(),
                x -> new Attachment.Block(BlockPlug.plug(tx, blockRequest(tx, config, d, x))));
    if (first) {
      tx.added(DeviceTable.of(after, tx.model().topology()).device());
    }
    return after;
  }

  private static BlockRequest blockRequest(
      Tx tx, HypervisorConfig config, DiskSpec d, ManagedDevice md) {
    BlockDriver driver = driver(tx, config, d);
    return BlockRequest.of(
            "drive-" + md.id(),
            d.file().toString(),
            driver,
            d.placement().orElseGet(() -> tx.model().topology().defaultPlacement()))
        .withFormat(d.format())
        .withReadOnly(d.readOnly())
        .withCache(BlockCache.of(config));
  }

  /** The disk's driver; refuses virtio-scsi without the sandbox's SCSI controller. */
  private static BlockDriver driver(Tx tx, HypervisorConfig config, DiskSpec d) {
    BlockDriver driver = d.driver().orElseGet(() -> BlockDriver.of(config));
    if (driver == BlockDriver.VIRTIO_SCSI && !tx.facts().scsiController()) {
      throw new HotplugRefusedException(
          "sandbox "
              + tx.sandboxId()
              + ": hotplug disk "
              + d.file()
              + " on virtio-scsi: the sandbox has no virtio-scsi controller "
              + QemuFacts.SCSI_CONTROLLER
              + " (BlockDeviceDriver="
              + config.kata().blockDeviceDriver()
              + "): use --driver virtio-blk");
    }
    return driver;
  }

  /** Plugs every member of a VFIO group, or none. */
  public static Device vfio(Tx tx, HypervisorConfig config, VfioGroup group, HostDevice info) {
    ManagedDevice md = newDevice(tx, info, "VFIO group " + group.number());
    Placement placement =
        VfioRequest.defaultPlacement(
            tx.machine(), config.kata().hotplugVfioOnRootBus(), tx.model().topology());
    List<VfioPlug.Member> members = new ArrayList<>();
    attach(
        tx,
        md,
        x -> {
          members.addAll(VfioPlug.plug(tx, new VfioRequest(md.id(), group, placement)));
          return members.stream().map(VfioPlug.Member::dev).toList();
        },
        Attachment.Vfio::new);
    List<QemuDevice> parts = new ArrayList<>();
    for (VfioPlug.Member m : members) {
      Map<String, String> details = new LinkedHashMap<>();
      details.put("qemu-id", m.dev().id());
      details.put("host", m.dev().bdf().isEmpty() ? m.dev().sysfsDev() : m.dev().bdf());
      details.put("group", Integer.toString(group.number()));
      parts.add(new QemuDevice(m.dev().id(), m.pciPath(), details));
    }
    Device out = new Device(md.id(), DeviceKind.VFIO, parts, parts.get(0).details());
    tx.added(out);
    return out;
  }

  /** Plugs a vhost-user disk, SCSI controller or file system. */
  public static Device vhostUser(Tx tx, VhostUserSpec spec, HostDevice info) {
    ManagedDevice md = newDevice(tx, info, spec.kind().kataType() + " " + spec.socket());
    Placement placement = tx.model().topology().defaultPlacement();
    VhostUserRequest r;
    if (spec instanceof VhostUserSpec.Blk) {
      r = new VhostUserRequest.Blk("blk-" + md.id(), spec.socket(), placement, OptionalInt.empty());
    } else if (spec instanceof VhostUserSpec.Scsi) {
      r = new VhostUserRequest.Scsi("scsi-" + md.id(), spec.socket(), placement);
    } else if (spec instanceof VhostUserSpec.Fs fs) {
      r =
          new VhostUserRequest.Fs(
              "fs-" + md.id(), fs.socket(), fs.tag(), fs.cacheSizeMiB(), placement);
    } else {
      throw new AssertionError(spec);
    }
    VhostUserDeviceAttrs attrs =
        attach(tx, md, x -> VhostUserPlug.plug(tx, r), Attachment.VhostUser::new);
    Device dev =
        DeviceTable.of(tx.model().devices().find(md.id()).orElseThrow(), tx.model().topology())
            .device();
    Map<String, String> details = new LinkedHashMap<>();
    details.put("qemu-id", dev.qemuId());
    details.put("chardev", attrs.devId());
    if (spec instanceof VhostUserSpec.Fs fs) {
      details.put("tag", fs.tag());
    }
    details.put("socket", attrs.socketPath());
    Device out = new Device(md.id(), dev.kind(), dev.qemuDevices(), details);
    tx.added(out);
    return out;
  }

  /** Adds {@code count} vCPUs: one device each, {@code cpu-N} with its topology. */
  public static List<Device> vcpus(Tx tx, int count) {
    Map<String, CpuInstanceProperties> placed = CpuPlug.add(tx, count);
    long total = tx.facts().cpuLimits().bootVcpus() + tx.model().vcpus().size();
    List<Device> out = new ArrayList<>();
    placed.forEach(
        (id, p) -> {
          Map<String, String> details = new LinkedHashMap<>();
          p.toJson().properties().forEach(e -> details.put(e.getKey(), e.getValue().asString()));
          details.put("vcpus", Long.toString(total));
          Device d = DeviceTable.vcpu(id, details).device();
          tx.added(d);
          out.add(d);
        });
    return out;
  }

  /** A DIMM of {@code sizeMiB}, or (with {@code VirtioMem}) that much more of virtio-mem. */
  public static Device memory(Tx tx, long sizeMiB) {
    if (tx.facts().memoryLimits().virtioMem()) {
      long total = MemoryPlug.growVirtioMem(tx, sizeMiB);
      Map<String, String> details = new LinkedHashMap<>();
      details.put("requested-size", total + "M");
      details.put("hotplugged", total + "M");
      PciPath path =
          tx.model()
              .topology()
              .find(MemoryPlug.VIRTIO_MEM_ID)
              .map(s -> s.pciPath())
              .orElse(PciPath.NIL);
      Device d =
          new Device(
              MemoryPlug.VIRTIO_MEM_ID,
              DeviceKind.MEMORY,
              List.of(new QemuDevice(MemoryPlug.VIRTIO_MEM_ID, path)),
              details);
      tx.added(d);
      return d;
    }
    Device d = MemoryPlug.addDimm(tx, sizeMiB).device();
    tx.added(d);
    return d;
  }

  /**
   * A new device for {@code info}; refused when that host device is in the sandbox already, also
   * through another path (a link, {@code ./x}: the same file).
   */
  private static ManagedDevice newDevice(Tx tx, HostDevice info, String what) {
    tx.model()
        .devices()
        .findSame(info)
        .ifPresent(
            md -> {
              String path = md.info().hostPath();
              throw new HotplugRefusedException(
                  "sandbox "
                      + tx.sandboxId()
                      + ": hotplug "
                      + what
                      + ": it is in the sandbox already, as device "
                      + md.id()
                      + (md.attached() ? " (plugged)" : "")
                      + (path.isEmpty() || path.equals(info.hostPath())
                          ? ""
                          : ": " + info.hostPath() + " is the same file as " + path));
            });
    return reference(tx, info);
  }

  /** One more reference of the device for {@code info} (a new one when unknown), undone quietly. */
  public static ManagedDevice reference(Tx tx, HostDevice info) {
    ManagedDevice md = tx.model().devices().newDevice(info);
    tx.undoQuietly(() -> tx.model().devices().removeDevice(md.id()));
    return md;
  }

  /** The first attach of {@code md}: runs {@code plug}, records {@code record} of its result. */
  private static <P> P attach(
      Tx tx,
      ManagedDevice md,
      java.util.function.Function<ManagedDevice, P> plug,
      java.util.function.Function<P, Attachment> record) {
    List<P> out = new ArrayList<>(1);
    undoAttach(tx, md);
    tx.model()
        .devices()
        .attach(
            md.id(),
            x -> {
              P p = plug.apply(x);
              out.add(p);
              return record.apply(p);
            });
    return out.get(0);
  }

  /**
   * Registers, before the plug's own steps, the undo of one attach of {@code md}: it runs after
   * them, so that a device whose unplug failed stays recorded, attached.
   */
  private static void undoAttach(Tx tx, ManagedDevice md) {
    long before = md.attachCount();
    tx.undoQuietly(
        () -> {
          if (tx.model().devices().find(md.id()).map(ManagedDevice::attachCount).orElse(0L)
              > before) {
            tx.model().devices().detach(md.id(), y -> {});
          }
        });
  }

  private static BlockDrive attach(
      Tx tx, ManagedDevice md, java.util.function.Function<ManagedDevice, BlockDrive> plug) {
    return attach(tx, md, plug, Attachment.Block::new);
  }
}
