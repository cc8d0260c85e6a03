package org.vmm4j.core.hotplug;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.vmm4j.core.GuestMemory;
import org.vmm4j.devices.DeviceKind;
import org.vmm4j.devices.SlotReservation;
import org.vmm4j.persist.PciPath;
import org.vmm4j.qmp.ChardevAdd;
import org.vmm4j.qmp.ChardevRemove;
import org.vmm4j.qmp.DeviceAdd;
import org.vmm4j.qmp.Execute;
import org.vmm4j.qmp.NetdevAdd;
import org.vmm4j.qmp.NetdevDel;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * vhost-user hotplug (inventory 2.2 for blk; QEMU's own arguments for scsi, fs and net), refused
 * unless guest memory is shared with an fd (DESIGN decision 10: the guest would hang):
 *
 * <ol>
 *   <li>{@code chardev-add {"id":DEV,"backend":{"type":"socket","data":{"addr":{"type":"unix",
 *       "data":{"path":SOCKET}},"server":false}}}} (QEMU connects at once; undo: {@code
 *       chardev-remove});
 *   <li>net: {@code netdev_add {"type":"vhost-user","id":"net-DEV","chardev":DEV}} (undo: {@code
 *       netdev_del});
 *   <li>blk: a block index (undo: release it);
 *   <li>a slot (undo: release it), then {@code device_add} of {@code vhost-user-blk-pci} ({@code
 *       chardev}[, {@code num-queues}]), {@code vhost-user-scsi-pci} ({@code chardev}), {@code
 *       vhost-user-fs-pci} ({@code chardev}, {@code tag}) or {@code virtio-net-pci} ({@code
 *       netdev}, {@code mac}), with {@code bus}[/{@code addr}].
 * </ol>
 *
 * Unplug in reverse: {@code device_del} and wait, {@code netdev_del}, {@code chardev-remove}, then
 * the slot and index are freed.
 */
public final class VhostUserHotplug {
  private final HotplugContext ctx;

  public VhostUserHotplug(HotplugContext ctx) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
  }

  /**
   * Plugs the device.
   *
   * @throws HotplugRefusedException when guest memory is not shared, or a DAX window is asked of a
   *     QEMU without one
   * @throws HotplugException naming the failed step and what was rolled back
   */
  public PluggedVhostUser plug(VhostUserRequest r) {
    Transaction tx =
        new Transaction(
            ctx.sandboxId(),
            "hotplug " + r.kind().kataType() + " " + r.deviceId() + " (" + r.socket() + ")");
    checkSharedMemory(tx);
    String dev = r.devId();
    try {
      if (r instanceof VhostUserRequest.Fs fs && fs.cacheSizeMiB() > 0) {
        checkCacheSize(tx);
      }
      QmpDevices.call(ctx, new ChardevAdd(dev, socketBackend(r)));
      tx.undo("chardev-remove " + dev, () -> QmpDevices.call(ctx, new ChardevRemove(dev)));
      String mac = "";
      if (r instanceof VhostUserRequest.Net net) {
        mac = net.mac();
        String netdev = "net-" + dev;
        ObjectNode p = QmpDevices.object().put("chardev", dev);
        QmpDevices.call(ctx, new NetdevAdd("vhost-user", netdev, p));
        tx.undo("netdev_del " + netdev, () -> QmpDevices.call(ctx, new NetdevDel(netdev)));
      }
      int index = -1;
      if (r instanceof VhostUserRequest.Blk) {
        int i = ctx.blockIndexes().allocate();
        tx.undo("release block index " + i, () -> ctx.blockIndexes().release(i));
        index = i;
      }
      Optional<SlotReservation> slot = QmpDevices.reserve(ctx, tx, r.deviceId(), r.placement());
      QmpDevices.add(ctx, tx, device(r, slot));
      QmpDevices.commit(ctx, slot);
      PciPath path = QmpDevices.pciPath(ctx, slot, r.deviceId());
      return new PluggedVhostUser(r.kind(), dev, r.socket().toString(), mac, path, index);
    } catch (RuntimeException e) {
      throw tx.rollback(e);
    }
  }

  private void checkSharedMemory(Transaction tx) {
    Optional<GuestMemory> m = ctx.guestMemory();
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
  private void checkCacheSize(Transaction tx) {
    ObjectNode args = QmpDevices.object().put("typename", "vhost-user-fs-pci");
    JsonNode props = QmpDevices.call(ctx, new Execute("device-list-properties", args));
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
    ObjectNode backend = QmpDevices.object().put("type", "socket");
    ObjectNode data = backend.putObject("data");
    ObjectNode addr = data.putObject("addr").put("type", "unix");
    addr.putObject("data").put("path", r.socket().toString());
    data.put("server", false);
    return backend;
  }

  private static DeviceAdd device(VhostUserRequest r, Optional<SlotReservation> slot) {
    ObjectNode p = QmpDevices.object();
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
    return new DeviceAdd(driver, r.deviceId(), QmpDevices.place(p, slot));
  }

  /**
   * Unplugs the device: {@code device_del} and wait, {@code netdev_del}, {@code chardev-remove},
   * then frees the slot and index. A backend that cannot be removed after the device is gone is
   * reported (the slot and index are freed all the same).
   *
   * @throws DeviceStillPresentException when QEMU still has the device (nothing is freed)
   */
  public void unplug(PluggedVhostUser v) {
    String op = "unplug " + v.kind().kataType() + " " + v.deviceId();
    Optional<SlotReservation> slot = ctx.topology().find(v.deviceId());
    List<String> stays = new ArrayList<>();
    slot.ifPresent(s -> stays.add("slot " + s.pciPath() + " (" + s.bus() + ")"));
    if (v.kind() == DeviceKind.VHOST_USER_NET) {
      stays.add("netdev " + v.netdevId());
    }
    stays.add("chardev " + v.chardevId());
    QmpDevices.remove(ctx, v.deviceId(), op, stays);
    List<String> left = new ArrayList<>();
    RuntimeException failure = removeBackends(v, left);
    slot.ifPresent(ctx.topology()::release);
    if (v.index() >= 0 && ctx.blockIndexes().isUsed(v.index())) {
      ctx.blockIndexes().release(v.index());
    }
    if (failure != null) {
      throw new HotplugException(
          "sandbox "
              + ctx.sandboxId()
              + ": "
              + op
              + ": the device is gone (slot freed) but "
              + failure.getMessage()
              + "; left: "
              + String.join(", ", left),
          failure,
          left);
    }
  }

  /** {@code netdev_del} and {@code chardev-remove}; the first failure (later ones suppressed). */
  private RuntimeException removeBackends(PluggedVhostUser v, List<String> left) {
    RuntimeException failure = null;
    if (v.kind() == DeviceKind.VHOST_USER_NET) {
      failure =
          attempt(
              () -> QmpDevices.call(ctx, new NetdevDel(v.netdevId())),
              left,
              "netdev " + v.netdevId(),
              failure);
    }
    return attempt(
        () -> QmpDevices.call(ctx, new ChardevRemove(v.chardevId())),
        left,
        "chardev " + v.chardevId(),
        failure);
  }

  private static RuntimeException attempt(
      Runnable step, List<String> left, String what, RuntimeException earlier) {
    try {
      step.run();
      return earlier;
    } catch (RuntimeException e) {
      left.add(what);
      if (earlier != null) {
        earlier.addSuppressed(e);
        return earlier;
      }
      return e;
    }
  }
}
