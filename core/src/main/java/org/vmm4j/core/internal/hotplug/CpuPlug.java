package org.vmm4j.core.internal.hotplug;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.DeviceStillPresentException;
import org.vmm4j.core.api.HotplugRefusedException;
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
 * vCPU hotplug through {@code query-hotpluggable-cpus} (Kata's {@code hotplugCPUs}), recording
 * {@code HotpluggedVCPUs} in the model.
 *
 * <ul>
 *   <li>Add: within {@code DefaultMaxVCPUs}; free slots lowest topology first; {@code device_add
 *       {"driver":TYPE,"id":"cpu-N",...props}} per vCPU, {@code N} the lowest number not yet used
 *       in {@code /machine/peripheral}. All or nothing: when one fails, the transaction ejects
 *       those added before it (which needs the guest; under TCG it ends PCI and CPU hotplug for
 *       this QEMU, see below).
 *   <li>Eject ({@link #eject}, {@link Unplug}'s step for a vCPU): {@code device_del}, then the vCPU
 *       is gone when its slot loses its {@code qom-path} (QEMU sends no {@code DEVICE_DELETED} with
 *       a vCPU's id; {@code ACPI_DEVICE_OST} events trigger the check, which also runs every 100
 *       ms).
 *   <li>Under TCG, QEMU 7.2 dies (SIGSEGV) on the next CPU or PCI {@code device_add} after a vCPU
 *       unplug (measured here, on a pci-bridge and on a root port alike): once a vCPU {@code
 *       device_del} was accepted, the model says so ({@link SandboxModel#cpuUnplugged()}, kept
 *       beside the state with QEMU's pid) and plugs are refused for the life of that QEMU.
 * </ul>
 */
public final class CpuPlug {
  /** vCPU ids are {@code cpu-<N>}. */
  public static final String ID_PREFIX = "cpu-";

  /** Why PCI plugs are refused after a vCPU unplug under TCG. */
  public static final String NO_PCI_PLUG_AFTER_CPU_UNPLUG =
      "a vCPU was unplugged from this QEMU process, and under TCG QEMU 7.2 crashes on the next"
          + " PCI device_add after that: restart the sandbox to plug PCI devices";

  static final long POLL_MILLIS = 100;

  static final Comparator<HotpluggableCpu> TOPOLOGY_ORDER =
      Comparator.comparing((HotpluggableCpu c) -> key(c.props().socketId()))
          .thenComparing(c -> key(c.props().dieId()))
          .thenComparing(c -> key(c.props().coreId()))
          .thenComparing(c -> key(c.props().threadId()));

  private CpuPlug() {}

  /**
   * When a vCPU was unplugged from this QEMU under TCG, no PCI slot is handed out any more (call it
   * when a transaction's model is made).
   */
  public static void fencePciPlugs(Tx tx) {
    if (tx.model().cpuUnplugged() && tx.facts().cpuLimits().accelerator() == Accelerator.TCG) {
      tx.model().topology().refusePlugs(NO_PCI_PLUG_AFTER_CPU_UNPLUG);
    }
  }

  /**
   * Adds {@code amount} vCPUs.
   *
   * @return per vCPU added, in order, the slot of {@code query-hotpluggable-cpus} it took
   * @throws HotplugRefusedException beyond {@code DefaultMaxVCPUs} or QEMU's free slots, or after a
   *     vCPU unplug under TCG
   */
  public static Map<String, CpuInstanceProperties> add(Tx tx, int amount) {
    tx.begin("add " + amount + " vCPU(s)");
    CpuLimits limits = tx.facts().cpuLimits();
    if (tx.model().cpuUnplugged() && limits.accelerator() == Accelerator.TCG) {
      throw new HotplugRefusedException(
          tx.describe()
              + ": a vCPU was unplugged from this QEMU process, and under TCG QEMU 7.2 crashes on"
              + " the next CPU hotplug: restart the sandbox to add vCPUs");
    }
    List<String> vcpus = tx.model().vcpus();
    long now = limits.bootVcpus() + vcpus.size();
    if (now + amount > limits.maxVcpus()) {
      throw new HotplugRefusedException(
          tx.describe()
              + ": "
              + now
              + " + "
              + amount
              + " is above DefaultMaxVCPUs="
              + limits.maxVcpus());
    }
    List<HotpluggableCpu> free =
        tx.call(new QueryHotpluggableCpus()).stream()
            .filter(c -> !c.isPlugged())
            .sorted(TOPOLOGY_ORDER)
            .toList();
    if (free.size() < amount) {
      throw new HotplugRefusedException(
          tx.describe()
              + ": QEMU has "
              + free.size()
              + " free CPU slot(s) (query-hotpluggable-cpus)");
    }
    Set<String> taken = peripheralIds(tx);
    Map<String, CpuInstanceProperties> placed = new LinkedHashMap<>();
    for (int i = 0; i < amount; i++) {
      String id = nextId(taken);
      HotpluggableCpu slot = free.get(i);
      tx.call(new DeviceAdd(slot.type(), id, slot.props().toJson()));
      taken.add(id);
      vcpus.add(id);
      tx.undo(
          "eject vCPU " + id,
          () -> {
            eject(tx, id);
            vcpus.remove(id);
          });
      placed.put(id, slot.props());
    }
    return placed;
  }

  private static int key(Integer i) {
    return i == null ? -1 : i;
  }

  private static Set<String> peripheralIds(Tx tx) {
    Set<String> ids = new HashSet<>(tx.model().vcpus());
    for (QomProperty p : tx.call(new QomList(QomList.PERIPHERAL))) {
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
   * Ejects vCPU {@code id}: {@code device_del}, then waits until its slot is empty. A vCPU QEMU
   * does not know is gone.
   *
   * @throws DeviceStillPresentException when the guest did not eject it in time
   */
  public static void eject(Tx tx, String id) {
    String qomPath = QomList.PERIPHERAL + "/" + id;
    Duration deadline = tx.deadlines().cpuEject();
    try (EventSubscription events =
        tx.qmp()
            .subscribe(
                null,
                e -> e.name().equals("ACPI_DEVICE_OST") || e.name().equals("DEVICE_DELETED"),
                64)) {
      try {
        tx.call(new DeviceDel(id));
      } catch (QmpCommandException e) {
        if (e.errorClass() == QmpErrorClass.DEVICE_NOT_FOUND) {
          return; // QEMU has no such vCPU: it is gone
        }
        throw e;
      }
      tx.model().cpuUnplugged(true);
      fencePciPlugs(tx);
      long end = System.nanoTime() + deadline.toNanos();
      while (inSlot(tx, qomPath)) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          throw new DeviceStillPresentException(
              tx.describe()
                  + ": QEMU accepted device_del but the vCPU is still in its slot after "
                  + Deadlines.format(deadline)
                  + " (the guest did not eject it); it stays recorded",
              id,
              List.of("vCPU " + id));
        }
        waitForEvent(events, Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)));
      }
    }
  }

  private static boolean inSlot(Tx tx, String qomPath) {
    return tx.call(new QueryHotpluggableCpus()).stream().anyMatch(c -> qomPath.equals(c.qomPath()));
  }

  private static void waitForEvent(EventSubscription events, long nanos) {
    try {
      events.next(Duration.ofNanos(nanos));
    } catch (QmpTimeoutException e) {
      // poll again
    }
  }
}
