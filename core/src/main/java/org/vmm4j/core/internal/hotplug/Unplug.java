package org.vmm4j.core.internal.hotplug;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DeviceKind;
import org.vmm4j.core.api.HotplugException;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.core.internal.hotplug.DeviceRecord.Backend;
import org.vmm4j.core.internal.hotplug.DeviceRecord.BlockNode;
import org.vmm4j.core.internal.net.HostSides;
import org.vmm4j.core.internal.net.RecordedEndpoint;
import org.vmm4j.devices.Attachment;
import org.vmm4j.devices.ManagedDevice;
import org.vmm4j.devices.SlotReservation;
import org.vmm4j.persist.VfioDev;
import org.vmm4j.qmp.BlockNodeInfo;
import org.vmm4j.qmp.QmpCommandException;
import org.vmm4j.qmp.QmpErrorClass;
import org.vmm4j.qmp.QueryNamedBlockNodes;

/**
 * The one unplug path, for every kind of {@link DeviceRecord}:
 *
 * <ol>
 *   <li>its QEMU devices, last first: {@code device_del} and {@code DEVICE_DELETED} within the
 *       deadline, else {@code qom-list}'s word ({@link Tx#removeDevice}); a vCPU waits until its
 *       slot is empty ({@link CpuPlug#eject}); each device's slot is freed once it is gone;
 *   <li>its backends in reverse creation order ({@code netdev_del}, {@code chardev-remove}, {@code
 *       blockdev-del}, {@code object-del}); one QEMU no longer has is gone;
 *   <li>its block index freed; the record forgotten in the model (its {@code DeviceState},
 *       endpoint, vCPU or memory size); a network endpoint's host side given back as it was.
 * </ol>
 *
 * A device QEMU keeps past the deadline stops the unplug with a {@link
 * org.vmm4j.core.api.DeviceStillPresentException}: nothing of it is freed (QEMU devices of the
 * record that were removed before it are forgotten). Once the devices are gone the record is
 * forgotten whatever else fails: a backend QEMU kept, or a host side not restored, is a {@linkplain
 * Tx#leftover leftover} the transaction reports after saving.
 */
public final class Unplug {
  private Unplug() {}

  /** Unplugs {@code r} (see the class comment). */
  public static void run(Tx tx, DeviceRecord r) {
    Device d = r.device();
    String op = "unplug " + d.kind().cliName() + " " + d.id();
    tx.begin(op);
    if (d.qemuDevices().isEmpty() && r.source() instanceof DeviceRecord.KataEndpoint) {
      throw new HotplugRefusedException(
          tx.describe()
              + ": no QEMU device is recorded for it (a physical NIC, or a macvtap whose slot"
              + " is not in Bridges)");
    }
    List<String> gone = new ArrayList<>();
    try {
      for (int i = d.qemuDevices().size() - 1; i >= 0; i--) {
        removeDevice(tx, r, i, op);
        gone.add(d.qemuDevices().get(i).id());
      }
    } catch (RuntimeException e) {
      if (!gone.isEmpty()) {
        forgetMembers(tx, r, gone);
      }
      throw e;
    }
    List<String> left = new ArrayList<>();
    RuntimeException backend = deleteBackends(tx, r, left);
    r.index()
        .ifPresent(
            i -> {
              if (tx.model().blockIndexes().isUsed(i)) {
                tx.model().blockIndexes().release(i);
              }
            });
    Optional<RecordedEndpoint> endpoint = forget(tx, r);
    tx.removed(d);
    if (backend != null) {
      tx.leftover(
          new HotplugException(
              tx.describe()
                  + ": the device is gone (its slot and index freed) but "
                  + backend.getMessage()
                  + "; left: "
                  + String.join(", ", left),
              backend,
              left));
    }
    endpoint.ifPresent(e -> restoreHost(tx, e));
  }

  private static void removeDevice(Tx tx, DeviceRecord r, int i, String op) {
    String id = r.device().qemuDevices().get(i).id();
    if (r.kind() == DeviceKind.VCPU) {
      CpuPlug.eject(tx, id);
      return;
    }
    Optional<SlotReservation> slot = slot(tx, r, i);
    List<String> stays = new ArrayList<>();
    slot.ifPresent(s -> stays.add("slot " + s.pciPath() + " (" + s.bus() + ")"));
    if (i == 0) {
      r.backends().forEach(b -> stays.add(b.describe()));
      r.index().ifPresent(x -> stays.add("block index " + x));
    } else {
      for (int j = 0; j < i; j++) {
        stays.add("device " + r.device().qemuDevices().get(j).id());
      }
    }
    tx.removeDevice(id, op, stays);
    slot.ifPresent(tx.model().topology()::release);
  }

  private static Optional<SlotReservation> slot(Tx tx, DeviceRecord r, int i) {
    String key = r.slotKeys().get(i);
    return key.isEmpty() ? Optional.empty() : tx.model().topology().find(key);
  }

  /** Deletes the backends newest first; returns the first failure (later ones suppressed). */
  private static RuntimeException deleteBackends(Tx tx, DeviceRecord r, List<String> left) {
    RuntimeException failure = null;
    List<Backend> backends = r.backends();
    for (int i = backends.size() - 1; i >= 0; i--) {
      Backend b = backends.get(i);
      RuntimeException e = delete(tx, b);
      if (e != null) {
        left.add(b.describe());
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    return failure;
  }

  /** Deletes {@code b}; null when done or when QEMU no longer has it. */
  private static RuntimeException delete(Tx tx, Backend b) {
    try {
      tx.call(b.delete());
      return null;
    } catch (QmpCommandException e) {
      if (e.errorClass() == QmpErrorClass.DEVICE_NOT_FOUND) {
        return null;
      }
      if (b instanceof BlockNode n) {
        try {
          for (BlockNodeInfo info : tx.call(new QueryNamedBlockNodes())) {
            if (n.id().equals(info.nodeName())) {
              return e;
            }
          }
          return null;
        } catch (RuntimeException q) {
          e.addSuppressed(q);
        }
      }
      return e;
    } catch (RuntimeException e) {
      return e;
    }
  }

  /** Drops the record from its place in the model; an endpoint is returned for its host side. */
  private static Optional<RecordedEndpoint> forget(Tx tx, DeviceRecord r) {
    SandboxModel m = tx.model();
    DeviceRecord.Source s = r.source();
    if (s instanceof DeviceRecord.KataDevice) {
      ManagedDevice md = m.devices().find(r.id()).orElseThrow();
      if (md.attached()) {
        m.devices().detach(md.id(), x -> {});
      }
      m.devices().removeDevice(md.id());
    } else if (s instanceof DeviceRecord.KataEndpoint e) {
      RecordedEndpoint ep = DeviceTable.endpoints(m).get(e.index());
      m.endpoints().remove(e.index());
      return Optional.of(ep);
    } else if (s instanceof DeviceRecord.HotpluggedVcpu) {
      m.vcpus().remove(r.id());
    } else if (s instanceof DeviceRecord.Dimm dimm) {
      // a DIMM the state never counted (its plug was not saved) takes nothing below zero
      m.memoryMiB(Math.max(0, m.memoryMiB() - dimm.sizeMiB()));
    } else {
      throw new AssertionError(s);
    }
    return Optional.empty();
  }

  /** A VFIO group of which some members are gone: the record keeps the others. */
  private static void forgetMembers(Tx tx, DeviceRecord r, List<String> gone) {
    if (!(r.source() instanceof DeviceRecord.KataDevice)) {
      return;
    }
    ManagedDevice md = tx.model().devices().find(r.id()).orElseThrow();
    if (md.attachment() instanceof Attachment.Vfio v) {
      List<VfioDev> kept = v.devices().stream().filter(x -> !gone.contains(x.id())).toList();
      tx.model().devices().updateAttachment(md.id(), new Attachment.Vfio(kept));
    }
  }

  private static void restoreHost(Tx tx, RecordedEndpoint e) {
    String ns = tx.model().stored().sandbox().network().netNsPath();
    try {
      HostSides.disconnect(e.endpoint(), ns, tx.vmDir());
    } catch (RuntimeException x) {
      tx.leftover(
          new HotplugException(
              tx.describe()
                  + ": the device is gone but the host side was not restored: "
                  + x.getMessage(),
              x,
              List.of("host side of " + e.name())));
    }
  }
}
