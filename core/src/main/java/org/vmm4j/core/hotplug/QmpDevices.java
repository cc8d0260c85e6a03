package org.vmm4j.core.hotplug;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.vmm4j.core.MachineType;
import org.vmm4j.devices.Placement;
import org.vmm4j.devices.SlotReservation;
import org.vmm4j.persist.PciPath;
import org.vmm4j.qmp.Command;
import org.vmm4j.qmp.DeviceAdd;
import org.vmm4j.qmp.PciBus;
import org.vmm4j.qmp.QmpCommandException;
import org.vmm4j.qmp.QmpErrorClass;
import org.vmm4j.qmp.QmpEventTimeoutException;
import org.vmm4j.qmp.QmpException;
import org.vmm4j.qmp.QomList;
import org.vmm4j.qmp.QomProperty;
import org.vmm4j.qmp.QueryPci;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The steps every PCI device kind shares: a slot per placement, {@code device_add} with its undo,
 * and removal that waits for {@code DEVICE_DELETED} and, past the deadline, asks {@code qom-list
 * /machine/peripheral} what is true (DESIGN decision 3).
 */
final class QmpDevices {
  private QmpDevices() {}

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  static <R> R call(HotplugContext ctx, Command<R> command) {
    return ctx.qmp().call(command, ctx.timeouts().command());
  }

  /**
   * Reserves a slot for {@code deviceId} and registers its release; none on the root bus, which q35
   * refuses ({@code pcie.0} takes no hot-plugged device).
   */
  static Optional<SlotReservation> reserve(
      HotplugContext ctx, Transaction tx, String deviceId, Placement placement) {
    Optional<String> refused = ctx.topology().plugsRefused();
    if (refused.isPresent()) {
      throw new HotplugRefusedException(tx.describe() + ": " + refused.get());
    }
    if (placement == Placement.ROOT_BUS) {
      if (ctx.machine() == MachineType.Q35) {
        throw new HotplugRefusedException(
            tx.describe()
                + ": q35's root bus pcie.0 does not support hotplug: place the device"
                + " on a root port (PCIeRootPort) or a pci-bridge");
      }
      return Optional.empty();
    }
    SlotReservation r = ctx.topology().reserve(deviceId, placement);
    tx.undo("release slot " + r.pciPath() + " (" + r.bus() + ")", () -> ctx.topology().release(r));
    return Optional.of(r);
  }

  /** {@code bus} and {@code addr} for the slot (no {@code addr} below a root port). */
  static ObjectNode place(ObjectNode props, Optional<SlotReservation> slot) {
    slot.ifPresent(
        s -> {
          props.put("bus", s.bus());
          s.addr().ifPresent(a -> props.put("addr", a));
        });
    return props;
  }

  /**
   * {@code device_add}; registers {@code device_del} as its undo. When QEMU's answer is unknown (a
   * timeout, a lost connection) the undo first asks whether QEMU created the device.
   */
  static void add(HotplugContext ctx, Transaction tx, DeviceAdd cmd) {
    try {
      call(ctx, cmd);
    } catch (QmpCommandException e) {
      throw e; // QEMU refused: no device
    } catch (QmpException e) {
      tx.undo(
          "device_del " + cmd.id() + " if QEMU created it",
          () -> {
            if (isPresent(ctx, cmd.id())) {
              remove(ctx, cmd.id(), "roll back " + cmd.id(), List.of());
            }
          });
      throw e;
    }
    tx.undo("device_del " + cmd.id(), () -> remove(ctx, cmd.id(), "roll back", List.of()));
  }

  /** Commits the slot of a device QEMU accepted. */
  static void commit(HotplugContext ctx, Optional<SlotReservation> slot) {
    slot.ifPresent(ctx.topology()::commit);
  }

  /**
   * The PCI path of a plugged device: from its slot, or on the root bus from {@code query-pci} (the
   * root bus is enumerated even before the firmware ran); nil when QEMU does not list it.
   */
  static PciPath pciPath(HotplugContext ctx, Optional<SlotReservation> slot, String deviceId) {
    if (slot.isPresent()) {
      return slot.get().pciPath();
    }
    for (PciBus bus : call(ctx, new QueryPci())) {
      var d = bus.devices().stream().filter(x -> deviceId.equals(x.qdevId())).findFirst();
      if (d.isPresent()) {
        return PciPath.of(d.get().slot());
      }
    }
    return PciPath.NIL;
  }

  /**
   * Removes device {@code id}: {@code device_del}, then {@code DEVICE_DELETED} within the deadline.
   * Without the event, or when QEMU refuses because it is already unplugging, {@code qom-list
   * /machine/peripheral} decides: listed means still present (an error naming what {@code stays});
   * not listed means gone. A device QEMU does not know is gone.
   *
   * @throws DeviceStillPresentException when the device is still there
   */
  static void remove(HotplugContext ctx, String id, String operation, List<String> stays) {
    try {
      removeOrThrow(ctx, id, operation, stays);
    } catch (HotplugException e) {
      throw e;
    } catch (RuntimeException e) { // QMP failed (disconnected, no reply): nothing is known
      String kept = stays.isEmpty() ? "" : "; still taken: " + String.join(", ", stays);
      throw new HotplugException(
          "sandbox " + ctx.sandboxId() + ": " + operation + ": " + e.getMessage() + kept, e, stays);
    }
  }

  private static void removeOrThrow(
      HotplugContext ctx, String id, String operation, List<String> stays) {
    Duration deadline = ctx.timeouts().deviceDeleted();
    try {
      ctx.qmp().deviceDel(id, ctx.timeouts().command(), deadline);
    } catch (QmpEventTimeoutException e) {
      if (isPresent(ctx, id)) {
        throw stillPresent(
            ctx,
            id,
            operation,
            "QEMU accepted device_del but sent no DEVICE_DELETED within "
                + format(deadline)
                + " and still lists "
                + id
                + " under "
                + QomList.PERIPHERAL
                + " (the guest has not released it)",
            stays);
      }
    } catch (QmpCommandException e) {
      if (e.errorClass() != QmpErrorClass.DEVICE_NOT_FOUND && isPresent(ctx, id)) {
        throw stillPresent(
            ctx,
            id,
            operation,
            e.getMessage() + "; QEMU still lists " + id + " under " + QomList.PERIPHERAL,
            stays);
      }
    }
  }

  private static DeviceStillPresentException stillPresent(
      HotplugContext ctx, String id, String operation, String why, List<String> stays) {
    String kept = stays.isEmpty() ? "" : "; still taken: " + String.join(", ", stays);
    return new DeviceStillPresentException(
        "sandbox " + ctx.sandboxId() + ": " + operation + ": " + why + kept, id, stays);
  }

  /** Whether {@code /machine/peripheral} lists device {@code id}. */
  static boolean isPresent(HotplugContext ctx, String id) {
    for (QomProperty p : call(ctx, new QomList(QomList.PERIPHERAL))) {
      if (p.isChild() && p.name().equals(id)) {
        return true;
      }
    }
    return false;
  }

  static String format(Duration d) {
    if (d.toMillis() % 1000 != 0) {
      return d.toMillis() + " ms";
    }
    return d.toSeconds() + " s";
  }
}
