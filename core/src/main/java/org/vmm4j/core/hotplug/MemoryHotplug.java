package org.vmm4j.core.hotplug;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.vmm4j.core.GuestMemory;
import org.vmm4j.devices.Placement;
import org.vmm4j.qmp.DeviceAdd;
import org.vmm4j.qmp.Execute;
import org.vmm4j.qmp.MemoryDeviceInfo;
import org.vmm4j.qmp.ObjectAdd;
import org.vmm4j.qmp.ObjectDel;
import org.vmm4j.qmp.QomList;
import org.vmm4j.qmp.QueryMemoryDevices;
import tools.jackson.databind.node.ObjectNode;

/**
 * Memory hotplug (inventory 2.5, 2.6), recording {@code HotpluggedMemory} in MiB (a {@code long}).
 * One instance per QEMU process; its operations are serialized.
 *
 * <ul>
 *   <li>Add: within {@code maxmem} and the free slots; {@code object-add} of the guest RAM's kind
 *       of backend ({@code memory-backend-ram}, {@code -file} with its {@code mem-path}, or {@code
 *       -memfd}; {@code share}/{@code prealloc} as guest RAM) as {@code mem<N>} (undo: {@code
 *       object-del}), then {@code device_add pc-dimm {"memdev":"mem<N>"}} as {@code dimmmem<N>}.
 *       The guest onlines it movable ({@code memhp_default_state=online_movable}), so it can come
 *       back out.
 *   <li>Remove: the DIMMs added last whose sizes add up exactly, each {@code device_del} and its
 *       {@code DEVICE_DELETED}, then {@code object-del}. Memory the guest onlined into the kernel
 *       zone never leaves: the deadline passes and the error says the DIMM is still there.
 *   <li>With {@code VirtioMem}: one {@code virtio-mem-pci} ({@link #setupVirtioMem}), resized with
 *       {@code qom-set requested-size} (bytes, 64-bit) instead of DIMMs.
 * </ul>
 */
public final class MemoryHotplug {
  /** DIMM device ids are {@code dimmmem<N>}, backends {@code mem<N>} (Kata). */
  public static final String DIMM_PREFIX = "dimmmem";

  public static final String BACKEND_PREFIX = "mem";

  /** The virtio-mem device and its backend (Kata). */
  public static final String VIRTIO_MEM_ID = "virtiomem0";

  public static final String VIRTIO_MEM_BACKEND = "virtiomem";

  static final long MIB = 1L << 20;

  private final HotplugContext ctx;
  private final MemoryLimits limits;
  private final FlowLock lock;
  private long hotplugged;

  /**
   * @param hotpluggedMiB {@code HotpluggedMemory} as persisted
   */
  public MemoryHotplug(HotplugContext ctx, MemoryLimits limits, long hotpluggedMiB) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.lock = new FlowLock(ctx, "memory");
    this.hotplugged = hotpluggedMiB;
  }

  /** {@code HotpluggedMemory}: MiB added by hotplug. */
  public long hotpluggedMiB() {
    return locked("read", () -> hotplugged);
  }

  /**
   * Adds {@code sizeMiB}: a DIMM, or more of the virtio-mem device.
   *
   * @return the new {@code HotpluggedMemory}
   * @throws HotplugRefusedException beyond {@code maxmem} or the slots, or on microvm
   * @throws HotplugException naming the failed step and what was rolled back
   */
  public long add(long sizeMiB) {
    positive(sizeMiB, "add");
    return locked(
        "add " + sizeMiB + " MiB",
        () -> {
          String op = addOp(sizeMiB);
          if (limits.virtioMem()) {
            checkRoom(op, sizeMiB);
            return resizeVirtioMem(op, hotplugged + sizeMiB);
          }
          addDimmLocked(op, sizeMiB);
          return hotplugged;
        });
  }

  /**
   * Adds one DIMM of {@code sizeMiB} and returns it (its id is what an unplug takes).
   *
   * @throws HotplugRefusedException with {@code VirtioMem} (resized, no DIMMs), beyond {@code
   *     maxmem} or the slots, or on microvm
   * @throws HotplugException naming the failed step and what was rolled back
   */
  public PluggedDimm addDimm(long sizeMiB) {
    positive(sizeMiB, "add");
    return locked(
        "add " + sizeMiB + " MiB",
        () -> {
          String op = addOp(sizeMiB);
          if (limits.virtioMem()) {
            throw new HotplugRefusedException(
                op + ": with VirtioMem memory is a virtio-mem device resized, not DIMMs");
          }
          return addDimmLocked(op, sizeMiB);
        });
  }

  private String addOp(long sizeMiB) {
    return "sandbox " + ctx.sandboxId() + ": add " + sizeMiB + " MiB of memory";
  }

  private PluggedDimm addDimmLocked(String op, long sizeMiB) {
    checkRoom(op, sizeMiB);
    PluggedDimm d = plugDimm(op, sizeMiB);
    hotplugged += d.sizeMiB();
    return d;
  }

  private void checkRoom(String op, long sizeMiB) {
    checkSupported(op);
    long total = limits.bootMiB() + hotplugged + sizeMiB;
    if (total > limits.maxMemMiB()) {
      throw new HotplugRefusedException(
          op
              + ": the sandbox has "
              + (limits.bootMiB() + hotplugged)
              + " MiB and maxmem is "
              + limits.maxMemMiB()
              + " MiB");
    }
  }

  private PluggedDimm plugDimm(String op, long sizeMiB) {
    List<MemoryDeviceInfo> devices = QmpDevices.call(ctx, new QueryMemoryDevices());
    long inSlots = devices.stream().filter(d -> d.slot() != null).count();
    if (inSlots >= limits.slots()) {
      throw new HotplugRefusedException(
          op + ": all " + limits.slots() + " memory slots are in use (MemSlots)");
    }
    int n = nextNumber(devices);
    PluggedDimm d = new PluggedDimm(DIMM_PREFIX + n, BACKEND_PREFIX + n, sizeMiB);
    Transaction tx =
        new Transaction(ctx.sandboxId(), "hotplug memory " + d.id() + " (" + sizeMiB + " MiB)");
    try {
      QmpDevices.call(ctx, backend(d.memdev(), sizeMiB, false));
      tx.undo("object-del " + d.memdev(), () -> QmpDevices.call(ctx, new ObjectDel(d.memdev())));
      ObjectNode p = QmpDevices.object().put("memdev", d.memdev());
      QmpDevices.add(ctx, tx, new DeviceAdd("pc-dimm", d.id(), p));
      return d;
    } catch (RuntimeException e) {
      throw tx.rollback(e);
    }
  }

  /** One more than the highest slot and DIMM number in use (Kata: max slot + 1). */
  private static int nextNumber(List<MemoryDeviceInfo> devices) {
    int n = 0;
    Set<String> ids = new HashSet<>();
    for (MemoryDeviceInfo d : devices) {
      if (d.slot() != null) {
        n = Math.max(n, d.slot() + 1);
      }
      if (d.id() != null) {
        ids.add(d.id());
      }
    }
    while (ids.contains(DIMM_PREFIX + n)) {
      n++;
    }
    return n;
  }

  /** {@code object-add} of guest RAM's kind of backend. */
  private ObjectAdd backend(String id, long sizeMiB, boolean noReserve) {
    GuestMemory m = ctx.guestMemory().orElseThrow();
    ObjectNode p = QmpDevices.object().put("size", sizeMiB * MIB);
    if (!m.memPath().isEmpty()) {
      p.put("mem-path", m.memPath());
    }
    if (m.shared()) {
      p.put("share", true);
    }
    if (m.prealloc() && !noReserve) {
      p.put("prealloc", true);
    }
    if (noReserve) {
      p.put("reserve", false);
    }
    return new ObjectAdd(m.backend(), id, p);
  }

  /**
   * Removes {@code sizeMiB}: the DIMMs added last whose sizes add up to exactly that, or less of
   * the virtio-mem device.
   *
   * @return the new {@code HotpluggedMemory}
   * @throws HotplugRefusedException when no run of the latest DIMMs adds up to {@code sizeMiB}
   * @throws DeviceStillPresentException when the guest did not release a DIMM (it stays counted;
   *     those removed before it are gone)
   */
  public long remove(long sizeMiB) {
    positive(sizeMiB, "remove");
    return locked(
        "remove " + sizeMiB + " MiB",
        () -> {
          String op = "sandbox " + ctx.sandboxId() + ": remove " + sizeMiB + " MiB of memory";
          checkSupported(op);
          if (limits.virtioMem()) {
            if (sizeMiB > hotplugged) {
              throw new HotplugRefusedException(op + ": only " + hotplugged + " MiB were added");
            }
            return resizeVirtioMem(op, hotplugged - sizeMiB);
          }
          for (PluggedDimm d : latestDimms(op, sizeMiB)) {
            QmpDevices.remove(
                ctx, d.id(), "unplug memory " + d.id(), List.of("backend " + d.memdev()));
            hotplugged -= d.sizeMiB(); // the DIMM is gone
            deleteBackend(op, d);
          }
          return hotplugged;
        });
  }

  private void deleteBackend(String op, PluggedDimm d) {
    try {
      QmpDevices.call(ctx, new ObjectDel(d.memdev()));
    } catch (RuntimeException e) {
      throw new HotplugException(
          op + ": " + d.id() + " is gone but " + e.getMessage(),
          e,
          List.of("backend " + d.memdev()));
    }
  }

  /** The hot-plugged DIMM {@code id} as QEMU lists it ({@code query-memory-devices}), if any. */
  public Optional<PluggedDimm> dimm(String id) {
    return locked(
        "find " + id, () -> ourDimms().stream().filter(d -> d.id().equals(id)).findFirst());
  }

  /**
   * Removes the hot-plugged DIMM {@code id}: {@code device_del} and its {@code DEVICE_DELETED},
   * then {@code object-del}.
   *
   * @return the new {@code HotpluggedMemory}
   * @throws HotplugRefusedException when QEMU has no hot-plugged DIMM {@code id}
   * @throws DeviceStillPresentException when the guest did not release it (it stays counted)
   * @throws HotplugException when it is gone but its backend could not be deleted
   */
  public long removeDimm(String id) {
    return locked(
        "remove " + id,
        () -> {
          String op = "sandbox " + ctx.sandboxId() + ": remove memory device " + id;
          checkSupported(op);
          List<PluggedDimm> ours = ourDimms();
          PluggedDimm d =
              ours.stream()
                  .filter(x -> x.id().equals(id))
                  .findFirst()
                  .orElseThrow(
                      () ->
                          new HotplugRefusedException(
                              op
                                  + ": QEMU has no hot-plugged DIMM "
                                  + id
                                  + " (query-memory-devices: "
                                  + ours.stream().map(PluggedDimm::id).toList()
                                  + ")"));
          QmpDevices.remove(
              ctx, d.id(), "unplug memory " + d.id(), List.of("backend " + d.memdev()));
          hotplugged -= d.sizeMiB(); // the DIMM is gone
          deleteBackend(op, d);
          return hotplugged;
        });
  }

  /** The DIMMs vmm4j hot-plugged ({@code dimmmem<N>}), as {@code query-memory-devices} has them. */
  private List<PluggedDimm> ourDimms() {
    List<PluggedDimm> ours = new ArrayList<>();
    for (MemoryDeviceInfo d : QmpDevices.call(ctx, new QueryMemoryDevices())) {
      if ("dimm".equals(d.type()) && d.id() != null && d.id().startsWith(DIMM_PREFIX)) {
        String memdev =
            d.memdev() == null ? "" : d.memdev().substring(d.memdev().lastIndexOf('/') + 1);
        ours.add(new PluggedDimm(d.id(), memdev, d.size() / MIB));
      }
    }
    return ours;
  }

  private List<PluggedDimm> latestDimms(String op, long sizeMiB) {
    List<PluggedDimm> ours = ourDimms();
    ours.sort(Comparator.comparingInt((PluggedDimm d) -> number(d.id())).reversed());
    List<PluggedDimm> picked = new ArrayList<>();
    long sum = 0;
    for (PluggedDimm d : ours) {
      if (sum >= sizeMiB) {
        break;
      }
      picked.add(d);
      sum += d.sizeMiB();
    }
    if (sum != sizeMiB) {
      throw new HotplugRefusedException(
          op
              + ": the hot-plugged DIMMs, latest first, are "
              + (ours.isEmpty()
                  ? "none"
                  : ours.stream().map(d -> d.id() + " " + d.sizeMiB() + " MiB").toList())
              + ": no run of them adds up to "
              + sizeMiB
              + " MiB");
    }
    return picked;
  }

  private static int number(String id) {
    try {
      return Integer.parseInt(id.substring(DIMM_PREFIX.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Plugs the virtio-mem device (once, after launch, when {@code VirtioMem}): {@code object-add} of
   * a backend of {@code maxmem - MemorySize} without reservation, then {@code device_add
   * virtio-mem-pci {"memdev":"virtiomem"}} as {@code virtiomem0} on a slot. Nothing happens when it
   * exists already (a reattached controller).
   *
   * @throws HotplugException naming the failed step and what was rolled back
   */
  public void setupVirtioMem(Placement placement) {
    locked(
        "set up virtio-mem",
        () -> {
          Transaction tx = new Transaction(ctx.sandboxId(), "set up virtio-mem " + VIRTIO_MEM_ID);
          checkSupported(tx.describe());
          if (QmpDevices.isPresent(ctx, VIRTIO_MEM_ID)) {
            return null;
          }
          long size = limits.maxMemMiB() - limits.bootMiB();
          try {
            QmpDevices.call(ctx, backend(VIRTIO_MEM_BACKEND, size, true));
            tx.undo(
                "object-del " + VIRTIO_MEM_BACKEND,
                () -> QmpDevices.call(ctx, new ObjectDel(VIRTIO_MEM_BACKEND)));
            var slot = QmpDevices.reserve(ctx, tx, VIRTIO_MEM_ID, placement);
            ObjectNode p = QmpDevices.object().put("memdev", VIRTIO_MEM_BACKEND);
            QmpDevices.add(
                ctx, tx, new DeviceAdd("virtio-mem-pci", VIRTIO_MEM_ID, QmpDevices.place(p, slot)));
            QmpDevices.commit(ctx, slot);
            return null;
          } catch (RuntimeException e) {
            throw tx.rollback(e);
          }
        });
  }

  private long resizeVirtioMem(String op, long requestedMiB) {
    ObjectNode args =
        QmpDevices.object()
            .put("path", QomList.PERIPHERAL + "/" + VIRTIO_MEM_ID)
            .put("property", "requested-size")
            .put("value", requestedMiB * MIB);
    try {
      QmpDevices.call(ctx, new Execute("qom-set", args));
    } catch (RuntimeException e) {
      throw new HotplugException(op + ": " + e.getMessage(), e);
    }
    hotplugged = requestedMiB;
    return hotplugged;
  }

  private void checkSupported(String op) {
    if (!ctx.machine().supportsMemoryHotplug() || ctx.guestMemory().isEmpty()) {
      throw new HotplugRefusedException(
          op + ": guest memory hotplug is not supported on " + ctx.machine().qemuName());
    }
  }

  private static void positive(long sizeMiB, String op) {
    if (sizeMiB <= 0) {
      throw new IllegalArgumentException(op + " " + sizeMiB + " MiB: the size must be positive");
    }
  }

  private <T> T locked(String op, Supplier<T> action) {
    return lock.run(op, action);
  }
}
