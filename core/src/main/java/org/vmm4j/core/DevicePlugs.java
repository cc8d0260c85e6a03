package org.vmm4j.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;
import org.vmm4j.core.hotplug.BlockCache;
import org.vmm4j.core.hotplug.BlockDriver;
import org.vmm4j.core.hotplug.BlockRequest;
import org.vmm4j.core.hotplug.HotplugRefusedException;
import org.vmm4j.core.hotplug.PluggedBlock;
import org.vmm4j.core.hotplug.PluggedVfio;
import org.vmm4j.core.hotplug.PluggedVhostUser;
import org.vmm4j.core.hotplug.VfioRequest;
import org.vmm4j.core.hotplug.VhostUserRequest;
import org.vmm4j.devices.Attachment;
import org.vmm4j.devices.HostDevice;
import org.vmm4j.devices.ManagedDevice;
import org.vmm4j.devices.PciTopology;
import org.vmm4j.devices.Placement;
import org.vmm4j.devices.VfioGroup;

/**
 * The device plugs of {@link SandboxDevices} inside a session: a new managed device (refused when
 * the same host device is plugged already), its first attach running the flow, and what to print.
 */
final class DevicePlugs {
  private DevicePlugs() {}

  static HotpluggedDevice disk(DeviceSession s, DiskSpec d, HostDevice info) {
    BlockDriver driver = driver(s, d);
    ManagedDevice md = newDevice(s, info, "disk " + d.file());
    BlockRequest r = blockRequest(s, d, md, driver);
    PluggedBlock b =
        attach(s, md, x -> s.flows().block().plug(r), p -> new Attachment.Block(p.toBlockDrive()));
    Map<String, String> details = new LinkedHashMap<>();
    details.put("qemu-id", b.deviceId());
    details.put("driver", driver.kataName());
    b.scsi().ifPresent(a -> details.put("scsi", a.toString()));
    if (driver == BlockDriver.VIRTIO_BLK) {
      details.put("virt-path", b.toBlockDrive().virtPath());
    }
    details.put("format", d.format().driver());
    details.put("readonly", Boolean.toString(d.readOnly()));
    details.put("file", d.file().toString());
    return new HotpluggedDevice(md.id(), b.pciPath(), "block", details);
  }

  /**
   * One more attach of disk {@code md} (a container's use of it): the first plugs {@code d}, later
   * ones only count.
   */
  static ManagedDevice attachDisk(DeviceSession s, ManagedDevice md, DiskSpec d) {
    BlockDriver driver = driver(s, d);
    return s.devices()
        .attach(
            md.id(),
            x ->
                new Attachment.Block(
                    s.flows().block().plug(blockRequest(s, d, x, driver)).toBlockDrive()));
  }

  /** The disk's driver; refuses virtio-scsi without the sandbox's SCSI controller. */
  private static BlockDriver driver(DeviceSession s, DiskSpec d) {
    BlockDriver driver = d.driver().orElseGet(() -> BlockDriver.of(s.config()));
    if (driver == BlockDriver.VIRTIO_SCSI && !s.profile().scsiController()) {
      throw new HotplugRefusedException(
          "sandbox "
              + s.sandboxId()
              + ": hotplug disk "
              + d.file()
              + " on virtio-scsi: the sandbox has no virtio-scsi controller "
              + HotplugProfile.SCSI_CONTROLLER
              + " (BlockDeviceDriver="
              + s.config().kata().blockDeviceDriver()
              + "): use --driver virtio-blk");
    }
    return driver;
  }

  private static BlockRequest blockRequest(
      DeviceSession s, DiskSpec d, ManagedDevice md, BlockDriver driver) {
    return BlockRequest.of(
            "drive-" + md.id(),
            d.file().toString(),
            driver,
            d.placement().orElseGet(() -> topology(s).defaultPlacement()))
        .withFormat(d.format())
        .withReadOnly(d.readOnly())
        .withCache(BlockCache.of(s.config()));
  }

  static List<HotpluggedDevice> vfio(DeviceSession s, VfioGroup group, HostDevice info) {
    ManagedDevice md = newDevice(s, info, "VFIO group " + group.number());
    Placement placement =
        VfioRequest.defaultPlacement(
            s.profile().machine(), s.config().kata().hotplugVfioOnRootBus(), topology(s));
    VfioRequest r = new VfioRequest(md.id(), group, placement);
    PluggedVfio v =
        attach(s, md, x -> s.flows().vfio().plug(r), p -> new Attachment.Vfio(p.toVfioDevs()));
    List<HotpluggedDevice> out = new ArrayList<>();
    for (PluggedVfio.Member m : v.members()) {
      Map<String, String> details = new LinkedHashMap<>();
      details.put("qemu-id", m.id());
      details.put("host", m.bdf().isEmpty() ? m.sysfsDev() : m.bdf());
      details.put("group", Integer.toString(group.number()));
      out.add(new HotpluggedDevice(md.id(), m.pciPath(), "vfio", details));
    }
    return out;
  }

  static HotpluggedDevice vhostUser(DeviceSession s, VhostUserSpec spec, HostDevice info) {
    ManagedDevice md = newDevice(s, info, spec.kind().kataType() + " " + spec.socket());
    Placement placement = topology(s).defaultPlacement();
    VhostUserRequest r;
    String kind;
    if (spec instanceof VhostUserSpec.Blk) {
      r = new VhostUserRequest.Blk("blk-" + md.id(), spec.socket(), placement, OptionalInt.empty());
      kind = "vhost-user-blk";
    } else if (spec instanceof VhostUserSpec.Scsi) {
      r = new VhostUserRequest.Scsi("scsi-" + md.id(), spec.socket(), placement);
      kind = "vhost-user-scsi";
    } else if (spec instanceof VhostUserSpec.Fs fs) {
      r =
          new VhostUserRequest.Fs(
              "fs-" + md.id(), fs.socket(), fs.tag(), fs.cacheSizeMiB(), placement);
      kind = "vhost-user-fs";
    } else {
      throw new AssertionError(spec);
    }
    PluggedVhostUser v =
        attach(
            s, md, x -> s.flows().vhostUser().plug(r), p -> new Attachment.VhostUser(p.toAttrs()));
    Map<String, String> details = new LinkedHashMap<>();
    details.put("qemu-id", v.deviceId());
    details.put("chardev", v.chardevId());
    if (spec instanceof VhostUserSpec.Fs fs) {
      details.put("tag", fs.tag());
    }
    details.put("socket", v.socketPath());
    return new HotpluggedDevice(md.id(), v.pciPath(), kind, details);
  }

  private static PciTopology topology(DeviceSession s) {
    return s.flows().context().topology();
  }

  /** A new device for {@code info}; refused when that host device is in the sandbox already. */
  private static ManagedDevice newDevice(DeviceSession s, HostDevice info, String what) {
    ManagedDevice md = s.devices().newDevice(info);
    if (md.refCount() > 1) {
      throw new HotplugRefusedException(
          "sandbox "
              + s.sandboxId()
              + ": hotplug "
              + what
              + ": it is in the sandbox already, as device "
              + md.id()
              + (md.attached() ? " (plugged)" : ""));
    }
    return md;
  }

  /** The first attach of {@code md}: runs {@code plug}, records {@code record} of its result. */
  private static <P> P attach(
      DeviceSession s,
      ManagedDevice md,
      Function<ManagedDevice, P> plug,
      Function<P, Attachment> record) {
    List<P> out = new ArrayList<>(1);
    s.devices()
        .attach(
            md.id(),
            x -> {
              P p = plug.apply(x);
              out.add(p);
              return record.apply(p);
            });
    return out.get(0);
  }
}
