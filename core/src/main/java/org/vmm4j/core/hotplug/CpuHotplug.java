package org.vmm4j.core.hotplug;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.vmm4j.core.Accelerator;
import org.vmm4j.persist.CpuDevice;
import org.vmm4j.qmp.CpuInstanceProperties;
import org.vmm4j.qmp.DeviceAdd;
import org.vmm4j.qmp.DeviceDel;
import org.vmm4j.qmp.EventSubscription;
import org.vmm4j.qmp.HotpluggableCpu;
import org.vmm4j.qmp.QmpCommandException;
import org.vmm4j.qmp.QmpErrorClass;
import org.vmm4j.qmp.QmpTimeoutException;
import org.vmm4j.qmp.QomList;
import org.vmm4j.qmp.QomProperty;
import org.vmm4j.qmp.QueryHotpluggableCpus;

/**
 * vCPU hotplug through {@code query-hotpluggable-cpus} (inventory 2.4), recording {@code
 * HotpluggedVCPUs}. One instance per QEMU process; its operations are serialized.
 *
 * <ul>
 *   <li>Add: within {@code DefaultMaxVCPUs}; free slots lowest topology first; {@code device_add
 *       {"driver":TYPE,"id":"cpu-N",...props}} per vCPU, {@code N} the lowest number not yet used
 *       in {@code /machine/peripheral}. Each vCPU is its own transaction: when one fails, those
 *       added stay (removing them needs the guest and, under TCG, would end CPU hotplug for this
 *       QEMU) and the error says so.
 *   <li>Remove, last added first: {@code device_del}, then the vCPU is gone when its slot loses its
 *       {@code qom-path} (QEMU sends no {@code DEVICE_DELETED} with a vCPU's id; {@code
 *       ACPI_DEVICE_OST} events trigger the check, which also runs every 100 ms).
 *   <li>Under TCG a CPU plug after a CPU unplug kills QEMU 7.2 (testbed.md): once a {@code
 *       device_del} of a vCPU was accepted, plugs are refused. {@link #unplugHappened()} is that
 *       fact; the wiring persists it with the QEMU pid it belongs to.
 * </ul>
 */
public final class CpuHotplug {
  /** vCPU ids are {@code cpu-<N>}. */
  public static final String ID_PREFIX = "cpu-";

  static final long POLL_MILLIS = 100;

  private final HotplugContext ctx;
  private final CpuLimits limits;
  private final FlowLock lock;
  private final List<String> hotplugged = new ArrayList<>();
  private volatile boolean unplugged;

  /** Why PCI plugs are refused after a vCPU unplug under TCG ({@link #fencePciPlugs}). */
  public static final String NO_PCI_PLUG_AFTER_CPU_UNPLUG =
      "a vCPU was unplugged from this QEMU process, and under TCG QEMU 7.2 crashes on the next"
          + " PCI device_add after that: restart the sandbox to plug PCI devices";

  /**
   * @param restored {@code HotpluggedVCPUs} as persisted (null: none)
   * @param unplugHappened whether a vCPU was unplugged from this QEMU process already
   */
  public CpuHotplug(
      HotplugContext ctx, CpuLimits limits, List<CpuDevice> restored, boolean unplugHappened) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.lock = new FlowLock(ctx, "vCPU");
    if (restored != null) {
      restored.forEach(c -> hotplugged.add(c.id()));
    }
    this.unplugged = unplugHappened;
    if (unplugHappened) {
      fencePciPlugs();
    }
  }

  /**
   * Under TCG, QEMU 7.2 dies (SIGSEGV) on the next PCI {@code device_add} after a vCPU unplug, on a
   * pci-bridge and on a root port alike (measured here; testbed.md saw it for CPUs): no PCI slot is
   * handed out after one.
   */
  private void fencePciPlugs() {
    if (limits.accelerator() == Accelerator.TCG) {
      ctx.topology().refusePlugs(NO_PCI_PLUG_AFTER_CPU_UNPLUG);
    }
  }

  /** {@code HotpluggedVCPUs}, in the order they were added. */
  public List<CpuDevice> hotplugged() {
    return locked("read", () -> hotplugged.stream().map(CpuDevice::new).toList());
  }

  /** Whether a vCPU was unplugged from this QEMU process (persist it: see the class comment). */
  public boolean unplugHappened() {
    return unplugged;
  }

  /** The vCPUs now: boot + hot-plugged. */
  public long current() {
    return locked("read", () -> limits.bootVcpus() + hotplugged.size());
  }

  /**
   * Adds {@code amount} vCPUs.
   *
   * @return the ids added
   * @throws HotplugRefusedException beyond {@code DefaultMaxVCPUs} or QEMU's free slots, or after a
   *     vCPU unplug under TCG
   * @throws HotplugException when a {@code device_add} failed (the vCPUs added before it stay)
   */
  public List<String> add(int amount) {
    return List.copyOf(addPlaced(amount).keySet());
  }

  /**
   * {@link #add}, with the slot of QEMU's {@code query-hotpluggable-cpus} each vCPU took (its
   * socket, die, core and thread), in the order they were added.
   */
  public Map<String, CpuInstanceProperties> addPlaced(int amount) {
    if (amount <= 0) {
      throw new IllegalArgumentException("add " + amount + " vCPUs: the amount must be positive");
    }
    return locked("add " + amount + " vCPU(s)", () -> addLocked(amount));
  }

  private Map<String, CpuInstanceProperties> addLocked(int amount) {
    String op = "sandbox " + ctx.sandboxId() + ": add " + amount + " vCPU(s)";
    if (unplugged && limits.accelerator() == Accelerator.TCG) {
      throw new HotplugRefusedException(
          op
              + ": a vCPU was unplugged from this QEMU process, and under TCG QEMU 7.2 crashes on"
              + " the next CPU hotplug (testbed.md): restart the sandbox to add vCPUs");
    }
    long now = limits.bootVcpus() + hotplugged.size();
    if (now + amount > limits.maxVcpus()) {
      throw new HotplugRefusedException(
          op + ": " + now + " + " + amount + " is above DefaultMaxVCPUs=" + limits.maxVcpus());
    }
    List<HotpluggableCpu> free =
        QmpDevices.call(ctx, new QueryHotpluggableCpus()).stream()
            .filter(c -> !c.isPlugged())
            .sorted(TOPOLOGY_ORDER)
            .toList();
    if (free.size() < amount) {
      throw new HotplugRefusedException(
          op + ": QEMU has " + free.size() + " free CPU slot(s) (query-hotpluggable-cpus)");
    }
    Set<String> taken = peripheralIds();
    List<String> added = new ArrayList<>();
    Map<String, CpuInstanceProperties> placed = new LinkedHashMap<>();
    for (int i = 0; i < amount; i++) {
      String id = nextId(taken);
      HotpluggableCpu slot = free.get(i);
      try {
        QmpDevices.call(ctx, new DeviceAdd(slot.type(), id, slot.props().toJson()));
      } catch (RuntimeException e) {
        String kept =
            added.isEmpty() ? "none added" : "added and kept: " + String.join(", ", added);
        List<String> left = added.stream().map(a -> "vCPU " + a).toList();
        throw new HotplugException(op + ": " + e.getMessage() + "; " + kept, e, left);
      }
      taken.add(id);
      hotplugged.add(id);
      added.add(id);
      placed.put(id, slot.props());
    }
    return placed;
  }

  static final Comparator<HotpluggableCpu> TOPOLOGY_ORDER =
      Comparator.comparing((HotpluggableCpu c) -> key(c.props().socketId()))
          .thenComparing(c -> key(c.props().dieId()))
          .thenComparing(c -> key(c.props().coreId()))
          .thenComparing(c -> key(c.props().threadId()));

  private static int key(Integer i) {
    return i == null ? -1 : i;
  }

  private Set<String> peripheralIds() {
    Set<String> ids = new HashSet<>(hotplugged);
    for (QomProperty p : QmpDevices.call(ctx, new QomList(QomList.PERIPHERAL))) {
      if (p.isChild()) {
        ids.add(p.name());
      }
    }
    return ids;
  }

  private static String nextId(Set<String> taken) {
    for (int n = 0; ; n++) {
      if (!taken.contains(ID_PREFIX + n)) {
        return ID_PREFIX + n;
      }
    }
  }

  /**
   * Removes the {@code amount} vCPUs added last, one after the other.
   *
   * @return the ids removed
   * @throws HotplugRefusedException when fewer vCPUs were hot-plugged
   * @throws DeviceStillPresentException when a vCPU was not ejected in time (it stays recorded;
   *     those removed before it are gone)
   */
  public List<String> remove(int amount) {
    if (amount <= 0) {
      throw new IllegalArgumentException(
          "remove " + amount + " vCPUs: the amount must be positive");
    }
    return locked("remove " + amount + " vCPU(s)", () -> removeLocked(amount));
  }

  /**
   * Removes hot-plugged vCPU {@code id}, whichever it is (not only the latest).
   *
   * @throws HotplugRefusedException when {@code id} is not a hot-plugged vCPU
   * @throws DeviceStillPresentException when the guest did not eject it in time (it stays recorded)
   */
  public void removeVcpu(String id) {
    locked(
        "remove vCPU " + id,
        () -> {
          if (!hotplugged.contains(id)) {
            throw new HotplugRefusedException(
                "sandbox "
                    + ctx.sandboxId()
                    + ": remove vCPU "
                    + id
                    + ": not a hot-plugged vCPU (HotpluggedVCPUs: "
                    + hotplugged
                    + ")");
          }
          eject(id, List.of());
          hotplugged.remove(id);
          return null;
        });
  }

  private List<String> removeLocked(int amount) {
    if (amount > hotplugged.size()) {
      throw new HotplugRefusedException(
          "sandbox "
              + ctx.sandboxId()
              + ": remove "
              + amount
              + " vCPU(s): only "
              + hotplugged.size()
              + " were hot-plugged "
              + hotplugged);
    }
    List<String> removed = new ArrayList<>();
    for (int i = 0; i < amount; i++) {
      String id = hotplugged.get(hotplugged.size() - 1);
      eject(id, removed);
      hotplugged.remove(hotplugged.size() - 1);
      removed.add(id);
    }
    return removed;
  }

  private void eject(String id, List<String> removedBefore) {
    String op = "sandbox " + ctx.sandboxId() + ": remove vCPU " + id;
    String qomPath = QomList.PERIPHERAL + "/" + id;
    try (EventSubscription events =
        ctx.qmp()
            .subscribe(
                null,
                e -> e.name().equals("ACPI_DEVICE_OST") || e.name().equals("DEVICE_DELETED"),
                64)) {
      try {
        QmpDevices.call(ctx, new DeviceDel(id));
      } catch (QmpCommandException e) {
        if (e.errorClass() == QmpErrorClass.DEVICE_NOT_FOUND) {
          return; // QEMU has no such vCPU: it is gone
        }
        throw e;
      }
      unplugged = true;
      fencePciPlugs();
      long deadline = System.nanoTime() + ctx.timeouts().cpuEject().toNanos();
      while (inSlot(qomPath)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          String done = removedBefore.isEmpty() ? "" : "; removed before it: " + removedBefore;
          throw new DeviceStillPresentException(
              op
                  + ": QEMU accepted device_del but the vCPU is still in its slot after "
                  + QmpDevices.format(ctx.timeouts().cpuEject())
                  + " (the guest did not eject it); it stays recorded"
                  + done,
              id,
              List.of("vCPU " + id));
        }
        waitForEvent(events, Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)));
      }
    }
  }

  private boolean inSlot(String qomPath) {
    return QmpDevices.call(ctx, new QueryHotpluggableCpus()).stream()
        .anyMatch(c -> qomPath.equals(c.qomPath()));
  }

  private static void waitForEvent(EventSubscription events, long nanos) {
    try {
      events.next(Duration.ofNanos(nanos));
    } catch (QmpTimeoutException e) {
      // poll again
    }
  }

  private <T> T locked(String op, Supplier<T> action) {
    return lock.run(op, action);
  }
}
