package org.vmm4j.core.internal.reconcile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.vmm4j.core.internal.reconcile.QemuInventory.QemuDevice;
import org.vmm4j.devices.BridgeType;
import org.vmm4j.persist.Bridge;
import org.vmm4j.persist.PciPath;

/**
 * A working copy of {@code HypervisorState.Bridges}: who holds which slot ({@code DeviceAddr}), and
 * the PCI path of a device QEMU places on one of them (bridge slot / device slot; a root port's
 * device is at slot 0).
 */
final class SlotMap {
  private final List<Bridge> original;
  private final Map<String, Bridge> byId = new LinkedHashMap<>();
  private final Map<String, TreeMap<Long, String>> slots = new LinkedHashMap<>();
  private boolean changed;

  SlotMap(List<Bridge> bridges) {
    this.original = bridges;
    for (Bridge b : bridges == null ? List.<Bridge>of() : bridges) {
      byId.put(b.id(), b);
      slots.put(b.id(), b.deviceAddr() == null ? new TreeMap<>() : new TreeMap<>(b.deviceAddr()));
    }
  }

  /** The recorded bridge {@code d} sits on, if any. */
  Optional<Bridge> bridgeOf(QemuDevice d) {
    return d.busOwner().map(byId::get);
  }

  /** {@code d}'s PCI path: on the root bus its slot; on a recorded bridge, bridge/slot. */
  PciPath pathOf(QemuDevice d) {
    if (d.slot().isEmpty()) {
      return PciPath.NIL;
    }
    if (d.onRootBus()) {
      return PciPath.of(d.slot().getAsInt());
    }
    Optional<Bridge> b = bridgeOf(d);
    if (b.isEmpty()) {
      return PciPath.NIL;
    }
    return PciPath.of(Math.toIntExact(b.get().addr())).child(d.slot().getAsInt());
  }

  /** Who holds {@code slot} of {@code bridge} (null: free). */
  String holder(String bridge, long slot) {
    return slots.get(bridge).get(slot);
  }

  /** Records {@code id} at {@code slot} of {@code bridge}. */
  void put(String bridge, long slot, String id) {
    if (!id.equals(slots.get(bridge).put(slot, id))) {
      changed = true;
    }
  }

  /** Frees every slot {@code id} holds. */
  void releaseAll(String id) {
    for (TreeMap<Long, String> m : slots.values()) {
      if (m.values().removeIf(id::equals)) {
        changed = true;
      }
    }
  }

  /** The slot a device QEMU places on a recorded bridge (a root port's device: 0). */
  static long slotOf(QemuDevice d, Bridge b) {
    return BridgeType.fromKataType(b.type()).orElse(BridgeType.PCI) == BridgeType.PCIE_ROOT_PORT
        ? 0
        : d.slot().orElse(0);
  }

  /** The bridges as recorded now (the original list when nothing changed). */
  List<Bridge> toPersisted() {
    if (!changed) {
      return original;
    }
    List<Bridge> out = new ArrayList<>();
    for (Bridge b : byId.values()) {
      out.add(new Bridge(new TreeMap<>(slots.get(b.id())), b.type(), b.id(), b.addr()));
    }
    return out;
  }
}
