package org.vmm4j.devices;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.vmm4j.persist.Bridge;

/**
 * The hotplug bridges and root ports of one sandbox and which device holds which slot (Kata's
 * layout and slot order). A hotplug {@link #reserve}s a slot, then {@link #commit}s it when QEMU
 * accepted the device, or {@link #release}s it on rollback. A slot is released only once its device
 * is really gone, so it is never handed to another device while QEMU still has one there. Not
 * thread-safe: a topology is part of one transaction's model, restored from the state read under
 * the sandbox's exclusive store lock.
 *
 * <p>Allocation is Kata's ({@code addDeviceToBridge}): bridges in command-line order, the lowest
 * free slot (1..30) of the first {@code pci-bridge} with room; a root port takes one device, at
 * slot 0. {@link #toPersisted()} gives {@code HypervisorState.Bridges} with the committed devices
 * in {@code DeviceAddr}; {@link #restore} reads it back, Kata's files included.
 */
public final class PciTopology {
  private final String sandboxId;
  private final List<PciBridge> bridges;

  /** Per bridge id: slot to holder. */
  private final Map<String, TreeMap<Integer, Holder>> slots = new LinkedHashMap<>();

  /** Per device id: its slot. */
  private final Map<String, SlotReservation> byDevice = new HashMap<>();

  private record Holder(String deviceId, boolean committed) {}

  /** Why no slot may be reserved any more (null: slots may be reserved). */
  private String plugsRefused;

  private PciTopology(String sandboxId, List<PciBridge> bridges) {
    this.sandboxId = Objects.requireNonNull(sandboxId, "sandboxId");
    this.bridges = List.copyOf(bridges);
    for (PciBridge b : this.bridges) {
      if (slots.put(b.id(), new TreeMap<>()) != null) {
        throw new IllegalArgumentException("sandbox " + sandboxId + ": two bridges " + b.id());
      }
    }
  }

  /** A fresh topology (no device plugged) for the bridges of a new command line. */
  public static PciTopology of(String sandboxId, List<PciBridge> bridges) {
    return new PciTopology(sandboxId, bridges);
  }

  /**
   * The topology recorded in {@code HypervisorState.Bridges} (null, Go's nil, is none), every
   * {@code DeviceAddr} entry committed.
   *
   * @throws DeviceStateException for an unknown bridge type, a slot out of the type's range or a
   *     device id held twice
   */
  public static PciTopology restore(String sandboxId, List<Bridge> persisted) {
    List<Bridge> list = persisted == null ? List.of() : persisted;
    List<PciBridge> bridges = new ArrayList<>();
    for (Bridge b : list) {
      BridgeType type =
          BridgeType.fromKataType(b.type())
              .orElseThrow(
                  () ->
                      new DeviceStateException(
                          "sandbox %s: bridge %s: unknown Type \"%s\" (known: pci, pcie, pcie-root-port)"
                              .formatted(sandboxId, b.id(), b.type())));
      bridges.add(new PciBridge(type, b.id(), Math.toIntExact(b.addr())));
    }
    PciTopology t = new PciTopology(sandboxId, bridges);
    for (int i = 0; i < list.size(); i++) {
      Map<Long, String> addr = list.get(i).deviceAddr();
      PciBridge bridge = t.bridges.get(i);
      if (addr != null) {
        new TreeMap<>(addr).forEach((slot, id) -> t.restoreSlot(bridge, slot, id));
      }
    }
    return t;
  }

  private void restoreSlot(PciBridge b, long slot, String deviceId) {
    BridgeType type = b.type();
    if (slot < type.firstSlot() || slot > type.lastSlot()) {
      throw new DeviceStateException(
          "sandbox %s: bridge %s: device %s at slot %d, outside %d..%d"
              .formatted(sandboxId, b.id(), deviceId, slot, type.firstSlot(), type.lastSlot()));
    }
    if (byDevice.containsKey(deviceId)) {
      throw new DeviceStateException(
          "sandbox %s: device %s holds two slots (%s and %s slot %d)"
              .formatted(sandboxId, deviceId, byDevice.get(deviceId).describe(), b.id(), slot));
    }
    take(new SlotReservation(deviceId, b, (int) slot), true);
  }

  /** The sandbox this topology belongs to. */
  public String sandboxId() {
    return sandboxId;
  }

  /** The bridges and root ports, in command-line order. */
  public List<PciBridge> bridges() {
    return bridges;
  }

  /** Whether any bridge takes devices with this placement. */
  public boolean supports(Placement placement) {
    return placement == Placement.ROOT_BUS
        || bridges.stream().anyMatch(b -> matches(b.type(), placement));
  }

  /**
   * {@link Placement#PCI_BRIDGE} when there is a pci-bridge, else root ports, else the root bus.
   */
  public Placement defaultPlacement() {
    if (supports(Placement.PCI_BRIDGE)) {
      return Placement.PCI_BRIDGE;
    }
    return supports(Placement.ROOT_PORT) ? Placement.ROOT_PORT : Placement.ROOT_BUS;
  }

  /**
   * From now on every reservation fails with {@link PlugsRefusedException} saying {@code reason}
   * (the VMM would not survive another PCI device, e.g. QEMU 7.2 under TCG after a vCPU unplug).
   * Releases and unplugs go on.
   */
  public void refusePlugs(String reason) {
    plugsRefused = Objects.requireNonNull(reason, "reason");
  }

  /** Why reservations are refused, if they are ({@link #refusePlugs}). */
  public Optional<String> plugsRefused() {
    return Optional.ofNullable(plugsRefused);
  }

  private void checkPlugsAllowed(String deviceId) {
    if (plugsRefused != null) {
      throw new PlugsRefusedException(
          "sandbox " + sandboxId + ": reserve a slot for " + deviceId + ": " + plugsRefused);
    }
  }

  /**
   * Reserves a slot for {@code deviceId}: Kata's lowest free slot of the first {@code pci-bridge}
   * with room, or the first free root port.
   *
   * @throws NoFreeSlotException when every bridge of that kind is full (or there is none)
   * @throws DeviceStateException when {@code deviceId} already holds a slot
   * @throws IllegalArgumentException for {@link Placement#ROOT_BUS}, which takes no slot
   */
  public SlotReservation reserve(String deviceId, Placement placement) {
    if (placement == Placement.ROOT_BUS) {
      throw new IllegalArgumentException("the root bus has no tracked slots");
    }
    checkPlugsAllowed(deviceId);
    checkNotHeld(deviceId);
    for (PciBridge b : bridges) {
      if (matches(b.type(), placement)) {
        int slot = freeSlot(b);
        if (slot >= 0) {
          return take(new SlotReservation(deviceId, b, slot), false);
        }
      }
    }
    throw new NoFreeSlotException(
        "sandbox " + sandboxId + ": reserve a slot for " + deviceId + ": " + full(placement));
  }

  /**
   * Reserves the lowest free slot of the bridge or root port {@code bridgeId}.
   *
   * @throws NoFreeSlotException when it is full
   * @throws DeviceStateException when there is no such bridge or {@code deviceId} holds a slot
   */
  public SlotReservation reserveOn(String deviceId, String bridgeId) {
    checkPlugsAllowed(deviceId);
    checkNotHeld(deviceId);
    PciBridge b =
        bridges.stream()
            .filter(x -> x.id().equals(bridgeId))
            .findFirst()
            .orElseThrow(
                () ->
                    new DeviceStateException(
                        "sandbox "
                            + sandboxId
                            + ": reserve a slot for "
                            + deviceId
                            + ": no bridge "
                            + bridgeId
                            + " (bridges: "
                            + describe(bridges)
                            + ")"));
    int slot = freeSlot(b);
    if (slot < 0) {
      throw new NoFreeSlotException(
          "sandbox "
              + sandboxId
              + ": reserve a slot for "
              + deviceId
              + " on "
              + bridgeId
              + ": all "
              + b.type().capacity()
              + " slots taken");
    }
    return take(new SlotReservation(deviceId, b, slot), false);
  }

  /**
   * Marks a reserved slot as holding a plugged device (it appears in {@link #toPersisted()}).
   *
   * @throws DeviceStateException when the slot is not reserved for that device
   */
  public void commit(SlotReservation r) {
    Holder h = holder(r, "commit");
    slots.get(r.bridge().id()).put(r.slot(), new Holder(h.deviceId(), true));
  }

  /**
   * Commits every slot still only reserved: when a rollback could not remove a device, QEMU may
   * hold it there, so the slot is recorded as taken (fenced) rather than handed out again.
   *
   * @return the slots committed, in bridge order
   */
  public List<SlotReservation> commitReserved() {
    List<SlotReservation> out = new ArrayList<>();
    slots.forEach(
        (bridge, taken) ->
            taken.replaceAll(
                (slot, h) -> {
                  if (!h.committed()) {
                    out.add(byDevice.get(h.deviceId()));
                    return new Holder(h.deviceId(), true);
                  }
                  return h;
                }));
    return out;
  }

  /**
   * Frees a reserved or committed slot. Call it only when the device is not in QEMU (its {@code
   * device_add} failed, or it is really gone).
   *
   * @throws DeviceStateException when the slot is not held by that device
   */
  public void release(SlotReservation r) {
    holder(r, "release");
    slots.get(r.bridge().id()).remove(r.slot());
    byDevice.remove(r.deviceId());
  }

  /** The slot {@code deviceId} holds (reserved or committed). */
  public Optional<SlotReservation> find(String deviceId) {
    return Optional.ofNullable(byDevice.get(deviceId));
  }

  /** Whether {@code r} is committed (its device plugged). */
  public boolean isCommitted(SlotReservation r) {
    Holder h = slots.get(r.bridge().id()).get(r.slot());
    return h != null && h.deviceId().equals(r.deviceId()) && h.committed();
  }

  /** Free slots for this placement, over all matching bridges. */
  public int freeSlots(Placement placement) {
    return bridges.stream()
        .filter(b -> matches(b.type(), placement))
        .mapToInt(b -> b.type().capacity() - slots.get(b.id()).size())
        .sum();
  }

  /**
   * {@code HypervisorState.Bridges}: every bridge in order with its committed devices in {@code
   * DeviceAddr} (slot to device id; an empty map when none, as Kata writes it).
   */
  public List<Bridge> toPersisted() {
    List<Bridge> out = new ArrayList<>(bridges.size());
    for (PciBridge b : bridges) {
      Map<Long, String> addr = new TreeMap<>();
      slots
          .get(b.id())
          .forEach(
              (slot, h) -> {
                if (h.committed()) {
                  addr.put((long) slot, h.deviceId());
                }
              });
      out.add(new Bridge(addr, b.type().kataType(), b.id(), b.addr()));
    }
    return out;
  }

  private static boolean matches(BridgeType type, Placement placement) {
    return switch (placement) {
      case PCI_BRIDGE -> type == BridgeType.PCI || type == BridgeType.PCIE;
      case ROOT_PORT -> type == BridgeType.PCIE_ROOT_PORT;
      case ROOT_BUS -> false;
    };
  }

  private int freeSlot(PciBridge b) {
    TreeMap<Integer, Holder> taken = slots.get(b.id());
    for (int s = b.type().firstSlot(); s <= b.type().lastSlot(); s++) {
      if (!taken.containsKey(s)) {
        return s;
      }
    }
    return -1;
  }

  private SlotReservation take(SlotReservation r, boolean committed) {
    slots.get(r.bridge().id()).put(r.slot(), new Holder(r.deviceId(), committed));
    byDevice.put(r.deviceId(), r);
    return r;
  }

  private void checkNotHeld(String deviceId) {
    SlotReservation held = byDevice.get(Objects.requireNonNull(deviceId, "deviceId"));
    if (held != null) {
      throw new DeviceStateException(
          "sandbox %s: reserve a slot for %s: it already holds %s on %s"
              .formatted(sandboxId, deviceId, held.pciPath(), held.bridge().id()));
    }
  }

  private Holder holder(SlotReservation r, String op) {
    TreeMap<Integer, Holder> taken = slots.get(r.bridge().id());
    Holder h = taken == null ? null : taken.get(r.slot());
    if (h == null || !h.deviceId().equals(r.deviceId())) {
      String why = h == null ? "the slot is free" : "it is held by " + h.deviceId();
      throw new DeviceStateException(
          "sandbox %s: %s slot %s on %s for %s: %s"
              .formatted(sandboxId, op, r.pciPath(), r.bridge().id(), r.deviceId(), why));
    }
    return h;
  }

  private String full(Placement placement) {
    List<PciBridge> kind = bridges.stream().filter(b -> matches(b.type(), placement)).toList();
    String what = placement == Placement.ROOT_PORT ? "root ports" : "pci bridges";
    if (kind.isEmpty()) {
      return "the sandbox has no " + what + " (bridges: " + describe(bridges) + ")";
    }
    int capacity = kind.stream().mapToInt(b -> b.type().capacity()).sum();
    return "no free slot on the %s (%s: %d of %d slots taken)"
        .formatted(what, describe(kind), capacity, capacity);
  }

  private static String describe(List<PciBridge> list) {
    return list.isEmpty()
        ? "none"
        : list.stream().map(PciBridge::describe).collect(Collectors.joining(", "));
  }
}
