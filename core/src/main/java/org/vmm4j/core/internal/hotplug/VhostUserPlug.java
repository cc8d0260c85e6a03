package org.vmm4j.core.internal.hotplug;

import java.util.Optional;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.core.internal.hotplug.DeviceRecord.Chardev;
import org.vmm4j.core.internal.hotplug.DeviceRecord.Netdev;
import org.vmm4j.core.internal.qemu.GuestMemory;
import org.vmm4j.devices.SlotReservation;
import org.vmm4j.persist.PciPath;
import org.vmm4j.persist.VhostUserDeviceAttrs;
import org.vmm4j.qmp.ChardevAdd;
import org.vmm4j.qmp.DeviceAdd;
import org.vmm4j.qmp.Execute;
import org.vmm4j.qmp.NetdevAdd;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * vhost-user hotplug (Kata's {@code hotplugVhostUserDevice} for blk; QEMU's own arguments for scsi,
 * fs and net), refused unless guest memory is shared with an fd (the guest would hang), each step
 * with its undo:
 *
 * <ol>
 *   <li>{@code chardev-add {"id":DEV,"backend":{"type":"socket","data":{"addr":{"type":"unix",
 *       "data":{"path":SOCKET}},"server":false}}}} (QEMU connects at once);
 *   <li>net: {@code netdev_add {"type":"vhost-user","id":"net-DEV","chardev":DEV}};
 *   <li>blk: a block index;
 *   <li>a slot, then {@code device_add} of {@code vhost-user-blk-pci} ({@code chardev}[, {@code
 *       num-queues}]), {@code vhost-user-scsi-pci} ({@code chardev}), {@code vhost-user-fs-pci}
 *       ({@code chardev}, {@code tag}) or {@code virtio-net-pci} ({@code netdev}, {@code mac}),
 *       with {@code bus}[/{@code addr}].
 * </ol>
 *
 * The unplug is {@link Unplug}'s: {@code device_del} and its wait, {@code netdev_del}, {@code
 * chardev-remove}, then the slot and index freed.
 */
public final class VhostUserPlug {
  private VhostUserPlug() {}

  /**
   * Plugs the device.
   *
   * @return what Kata records of it ({@code VhostUserDev}: DevID, SocketPath, Type, MacAddress,
   *     PCIPath, Index)
   * @throws HotplugRefusedException when guest memory is not shared, or a DAX window is asked of a
   *     QEMU without one
   */
  public static VhostUserDeviceAttrs plug(Tx tx, VhostUserRequest r) {
    tx.begin("hotplug " + r.kind().kataType() + " " + r.deviceId() + " (" + r.socket() + ")");
    checkSharedMemory(tx);
    String dev = r.devId();
    if (r instanceof VhostUserRequest.Fs fs && fs.cacheSizeMiB() > 0) {
      checkCacheSize(tx);
    }
    tx.addBackend(new Chardev(dev), new ChardevAdd(dev, socketBackend(r)));
    String mac = "";
    if (r instanceof VhostUserRequest.Net net) {
      mac = net.mac();
      ObjectNode p = Slots.object().put("chardev", dev);
      tx.addBackend(new Netdev("net-" + dev), new NetdevAdd("vhost-user", "net-" + dev, p));
    }
    int index = r instanceof VhostUserRequest.Blk ? tx.allocateIndex() : -1;
    Optional<SlotReservation> slot = tx.reserve(r.deviceId(), r.placement());
    tx.deviceAdd(device(r, slot));
    tx.commit(slot);
    PciPath path = tx.pciPath(slot, r.deviceId());
    return new VhostUserDeviceAttrs(
        dev, r.socket().toString(), r.kind().kataType(), mac, path, index);
  }

  private static void checkSharedMemory(Tx tx) {
    Optional<GuestMemory> m = tx.facts().memory();
    if (m.isEmpty() || !m.get().vhostUserCapable()) {
      String what =
          m.map(g -> g.backend() + (g.shared() ? ", share=on" : ", not shared"))
              .orElse("plain RAM");
      throw new HotplugRefusedException(
          tx.describe()
              + ": vhost-user needs guest memory shared with the daemon (a file or"
              + " memfd backend with share=on: HugePages, FileBackedMemRootDir, virtio-fs,"
              + " EnableVhostUserStore or SharedMemory), but this sandbox's memory is "
              + what
              + ": the guest would hang");
    }
  }

  /** QEMU 7.2 has no DAX window: {@code vhost-user-fs-pci} lacks {@code cache-size}. */
  private static void checkCacheSize(Tx tx) {
    ObjectNode args = Slots.object().put("typename", "vhost-user-fs-pci");
    JsonNode props = tx.call(new Execute("device-list-properties", args));
    for (JsonNode p : props) {
      if ("cache-size".equals(p.path("name").asString(""))) {
        return;
      }
    }
    throw new HotplugRefusedException(
        tx.describe()
            + ": this QEMU's vhost-user-fs-pci has no cache-size property (no DAX"
            + " window, VirtioFSCacheSize must be 0)");
  }

  static ObjectNode socketBackend(VhostUserRequest r) {
    ObjectNode backend = Slots.object().put("type", "socket");
    ObjectNode data = backend.putObject("data");
    ObjectNode addr = data.putObject("addr").put("type", "unix");
    addr.putObject("data").put("path", r.socket().toString());
    data.put("server", false);
    return backend;
  }

  private static DeviceAdd device(VhostUserRequest r, Optional<SlotReservation> slot) {
    ObjectNode p = Slots.object();
    String driver;
    if (r instanceof VhostUserRequest.Blk b) {
      driver = "vhost-user-blk-pci";
      p.put("chardev", b.devId());
      b.numQueues().ifPresent(n -> p.put("num-queues", n));
    } else if (r instanceof VhostUserRequest.Scsi s) {
      driver = "vhost-user-scsi-pci";
      p.put("chardev", s.devId());
    } else if (r instanceof VhostUserRequest.Fs f) {
      driver = "vhost-user-fs-pci";
      p.put("chardev", f.devId()).put("tag", f.tag());
      if (f.cacheSizeMiB() > 0) {
        p.put("cache-size", f.cacheSizeMiB() << 20);
      }
    } else if (r instanceof VhostUserRequest.Net n) {
      driver = "virtio-net-pci";
      p.put("netdev", "net-" + n.devId()).put("mac", n.mac());
    } else {
      throw new AssertionError(r);
    }
    return new DeviceAdd(driver, r.deviceId(), Slots.place(p, slot));
  }
}
