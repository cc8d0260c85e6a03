package org.vmm4j.core.internal.hotplug;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
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
 * A network device on a tap or macvtap the host side has set up (Kata's {@code hotplugNetDevice};
 * fd-carrying commands are never pipelined: QEMU keeps only the newest unclaimed fd), each step
 * with its undo:
 *
 * <ol>
 *   <li>{@code getfd {"fdname":"fd<i>"}} with queue i's descriptor, then {@code "vhostfd<i>"} with
 *       the vhost-net ones;
 *   <li>{@code netdev_add {"type":"tap","id":NETDEV,"fds":"fd0:fd1"[,"vhost":true,
 *       "vhostfds":"vhostfd0:vhostfd1"]}}, which takes the named descriptors; when it fails, {@code
 *       closefd} drops the names QEMU still holds;
 *   <li>a slot, then {@code device_add {"driver":"virtio-net-pci","id":DEV,"netdev":NETDEV,
 *       "mac":MAC,"romfile":""[,"mq":"on","vectors":2N+2],"bus":B[,"addr":"XX"]}} (multi-queue only
 *       with more than one queue).
 * </ol>
 *
 * The unplug is {@link Unplug}'s: {@code device_del} and its wait, {@code netdev_del}, the slot.
 */
public final class NicPlug {
  private NicPlug() {}

  /**
   * Plugs the device.
   *
   * @return where the guest sees it
   */
  public static PciPath plug(Tx tx, NetRequest r) {
    tx.begin("hotplug net " + r.name() + " (" + r.deviceId() + ", " + r.mac() + ")");
    addNetdev(tx, r);
    Optional<SlotReservation> slot = tx.reserve(r.deviceId(), r.placement());
    tx.deviceAdd(new DeviceAdd("virtio-net-pci", r.deviceId(), props(r, slot)));
    tx.commit(slot);
    return tx.pciPath(slot, r.deviceId());
  }

  /** The descriptors, then the netdev that takes them; names left in QEMU are closed on failure. */
  private static void addNetdev(Tx tx, NetRequest r) {
    List<String> passed = new ArrayList<>();
    try {
      List<String> fds = pass(tx, "fd", r.queueFds(), passed);
      List<String> vhostFds = pass(tx, "vhostfd", r.vhostFds(), passed);
      ObjectNode p = Slots.object().put("fds", String.join(":", fds));
      if (!vhostFds.isEmpty()) {
        p.put("vhost", true).put("vhostfds", String.join(":", vhostFds));
      }
      tx.call(new NetdevAdd("tap", r.netdevId(), p));
    } catch (QmpCommandException e) {
      closeFds(tx, passed, e);
      throw e;
    } catch (RuntimeException e) {
      // no answer: QEMU may have made the netdev (then it took the descriptors)
      closeFds(tx, passed, e);
      tx.undo("netdev_del " + r.netdevId() + " if QEMU created it", () -> deleteNetdev(tx, r));
      throw e;
    }
    tx.undo("netdev_del " + r.netdevId(), () -> tx.call(new NetdevDel(r.netdevId())));
  }

  private static List<String> pass(Tx tx, String prefix, List<OwnedFd> fds, List<String> passed) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < fds.size(); i++) {
      String name = prefix + i;
      fds.get(i)
          .borrow(
              raw -> {
                tx.call(new GetFd(name, descriptor(raw)));
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
  private static void closeFds(Tx tx, List<String> names, RuntimeException cause) {
    for (String n : names) {
      try {
        tx.call(new CloseFd(n));
      } catch (QmpCommandException e) {
        // taken by netdev_add
      } catch (RuntimeException e) {
        cause.addSuppressed(e);
        return;
      }
    }
  }

  private static void deleteNetdev(Tx tx, NetRequest r) {
    try {
      tx.call(new NetdevDel(r.netdevId()));
    } catch (QmpCommandException e) {
      if (e.errorClass() != QmpErrorClass.DEVICE_NOT_FOUND) {
        throw e;
      }
    }
  }

  private static ObjectNode props(NetRequest r, Optional<SlotReservation> slot) {
    ObjectNode p = Slots.object();
    p.put("netdev", r.netdevId()).put("mac", r.mac()).put("romfile", "");
    if (r.queues() > 1) {
      p.put("mq", "on").put("vectors", 2 * r.queues() + 2);
    }
    return Slots.place(p, slot);
  }
}
