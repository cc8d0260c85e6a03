package org.vmm4j.core.hotplug;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.newsclub.net.unix.FileDescriptorCast;
import org.vmm4j.devices.SlotReservation;
import org.vmm4j.network.OwnedFd;
import org.vmm4j.persist.PciPath;
import org.vmm4j.qmp.CloseFd;
import org.vmm4j.qmp.DeviceAdd;
import org.vmm4j.qmp.GetFd;
import org.vmm4j.qmp.NetdevAdd;
import org.vmm4j.qmp.NetdevDel;
import org.vmm4j.qmp.QmpCommandException;
import org.vmm4j.qmp.QmpErrorClass;
import tools.jackson.databind.node.ObjectNode;

/**
 * Network device hotplug on a tap or macvtap (inventory 2.7, DESIGN decisions 4, 9, 11), as a
 * transaction:
 *
 * <ol>
 *   <li>{@code getfd {"fdname":"fd<i>"}} with queue i's descriptor, then {@code "vhostfd<i>"} with
 *       the vhost-net ones (the QMP client never pipelines these);
 *   <li>{@code netdev_add {"type":"tap","id":NETDEV,"fds":"fd0:fd1"[,"vhost":true,
 *       "vhostfds":"vhostfd0:vhostfd1"]}}, which takes the named descriptors (undo: {@code
 *       netdev_del}); when it fails, {@code closefd} drops the names QEMU still holds;
 *   <li>a slot (undo: release it), then {@code device_add {"driver":"virtio-net-pci","id":DEV,
 *       "netdev":NETDEV,"mac":MAC,"romfile":""[,"mq":"on","vectors":2N+2],"bus":B[,"addr":"XX"]}}
 *       (multi-queue only with more than one queue; undo: {@code device_del}).
 * </ol>
 *
 * Unplug: {@code device_del} and its {@code DEVICE_DELETED} (or what {@code qom-list} says after
 * the deadline), {@code netdev_del}, then the slot is freed. The host side (the tap, the filters)
 * is the caller's.
 */
public final class NetHotplug {
  private final HotplugContext ctx;

  public NetHotplug(HotplugContext ctx) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
  }

  /**
   * Plugs the device; on failure undoes every completed step and throws.
   *
   * @throws HotplugException naming the failed step and what was rolled back
   */
  public PluggedNet plug(NetRequest r) {
    Transaction tx =
        new Transaction(
            ctx.sandboxId(),
            "hotplug net " + r.name() + " (" + r.deviceId() + ", " + r.mac() + ")");
    try {
      addNetdev(tx, r);
      Optional<SlotReservation> slot = QmpDevices.reserve(ctx, tx, r.deviceId(), r.placement());
      QmpDevices.add(ctx, tx, new DeviceAdd("virtio-net-pci", r.deviceId(), props(r, slot)));
      QmpDevices.commit(ctx, slot);
      PciPath path = QmpDevices.pciPath(ctx, slot, r.deviceId());
      return new PluggedNet(r.name(), r.deviceId(), r.netdevId(), r.mac(), r.queues(), path);
    } catch (RuntimeException e) {
      throw tx.rollback(e);
    }
  }

  /** The descriptors, then the netdev that takes them; names left in QEMU are closed on failure. */
  private void addNetdev(Transaction tx, NetRequest r) {
    List<String> passed = new ArrayList<>();
    try {
      List<String> fds = pass("fd", r.queueFds(), passed);
      List<String> vhostFds = pass("vhostfd", r.vhostFds(), passed);
      ObjectNode p = QmpDevices.object().put("fds", String.join(":", fds));
      if (!vhostFds.isEmpty()) {
        p.put("vhost", true).put("vhostfds", String.join(":", vhostFds));
      }
      QmpDevices.call(ctx, new NetdevAdd("tap", r.netdevId(), p));
    } catch (QmpCommandException e) {
      closeFds(passed, e);
      throw e;
    } catch (RuntimeException e) {
      // no answer: QEMU may have made the netdev (then it took the descriptors)
      closeFds(passed, e);
      tx.undo("netdev_del " + r.netdevId() + " if QEMU created it", () -> deleteNetdev(r));
      throw e;
    }
    tx.undo("netdev_del " + r.netdevId(), () -> QmpDevices.call(ctx, new NetdevDel(r.netdevId())));
  }

  private List<String> pass(String prefix, List<OwnedFd> fds, List<String> passed) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < fds.size(); i++) {
      String name = prefix + i;
      fds.get(i)
          .borrow(
              raw -> {
                QmpDevices.call(ctx, new GetFd(name, descriptor(raw)));
                return null;
              });
      passed.add(name);
      names.add(name);
    }
    return names;
  }

  /** NATIVE: wraps a borrowed descriptor number for junixsocket; the wrapper owns nothing. */
  private static FileDescriptor descriptor(int raw) {
    try {
      return FileDescriptorCast.unsafeUsing(raw).as(FileDescriptor.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code closefd} for each name; a name QEMU no longer has (netdev_add took it) is fine. */
  private void closeFds(List<String> names, RuntimeException cause) {
    for (String n : names) {
      try {
        QmpDevices.call(ctx, new CloseFd(n));
      } catch (QmpCommandException e) {
        // taken by netdev_add
      } catch (RuntimeException e) {
        cause.addSuppressed(e);
        return;
      }
    }
  }

  private void deleteNetdev(NetRequest r) {
    try {
      QmpDevices.call(ctx, new NetdevDel(r.netdevId()));
    } catch (QmpCommandException e) {
      if (e.errorClass() != QmpErrorClass.DEVICE_NOT_FOUND) {
        throw e;
      }
    }
  }

  private static ObjectNode props(NetRequest r, Optional<SlotReservation> slot) {
    ObjectNode p = QmpDevices.object();
    p.put("netdev", r.netdevId()).put("mac", r.mac()).put("romfile", "");
    if (r.queues() > 1) {
      p.put("mq", "on").put("vectors", 2 * r.queues() + 2);
    }
    return QmpDevices.place(p, slot);
  }

  /**
   * Unplugs the device: {@code device_del} and wait, {@code netdev_del}, then frees the slot. When
   * the device is gone but the netdev cannot be deleted, the slot is freed and the error says the
   * netdev remains.
   *
   * @throws DeviceStillPresentException when QEMU still has the device (nothing is freed)
   * @throws HotplugException when the netdev could not be deleted
   */
  public void unplug(PluggedNet n) {
    String op = "unplug net " + n.name() + " (" + n.deviceId() + ")";
    Optional<SlotReservation> slot = ctx.topology().find(n.deviceId());
    List<String> stays = new ArrayList<>();
    slot.ifPresent(s -> stays.add("slot " + s.pciPath() + " (" + s.bus() + ")"));
    stays.add("netdev " + n.netdevId());
    QmpDevices.remove(ctx, n.deviceId(), op, stays);
    RuntimeException netdev = null;
    try {
      QmpDevices.call(ctx, new NetdevDel(n.netdevId()));
    } catch (QmpCommandException e) {
      netdev = e.errorClass() == QmpErrorClass.DEVICE_NOT_FOUND ? null : e;
    } catch (RuntimeException e) {
      netdev = e;
    }
    slot.ifPresent(ctx.topology()::release);
    if (netdev != null) {
      throw new HotplugException(
          "sandbox "
              + ctx.sandboxId()
              + ": "
              + op
              + ": the device is gone (slot freed) but "
              + netdev.getMessage(),
          netdev,
          List.of("netdev " + n.netdevId()));
    }
  }
}
