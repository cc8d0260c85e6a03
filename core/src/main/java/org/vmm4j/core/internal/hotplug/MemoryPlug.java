package org.vmm4j.core.internal.hotplug;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.core.internal.hotplug.DeviceRecord.MemoryObject;
import org.vmm4j.core.internal.qemu.GuestMemory;
import org.vmm4j.devices.SlotReservation;
import org.vmm4j.qmp.DeviceAdd;
import org.vmm4j.qmp.Execute;
import org.vmm4j.qmp.MemoryDeviceInfo;
import org.vmm4j.qmp.ObjectAdd;
import org.vmm4j.qmp.QomList;
import org.vmm4j.qmp.QueryMemoryDevices;
import tools.jackson.databind.node.ObjectNode;

/**
 * Memory hotplug (Kata's {@code hotplugMemory}, and virtio-mem), recording {@code HotpluggedMemory}
 * (MiB, a {@code long}) in the model.
 *
 * <ul>
 *   <li>A DIMM ({@link #addDimm}): within {@code maxmem} and the free slots; {@code object-add} of
 *       the guest RAM's kind of backend ({@code memory-backend-ram}, {@code -file} with its {@code
 *       mem-path}, or {@code -memfd}; {@code share}/{@code prealloc} as guest RAM) as {@code
 *       mem<N>}, then {@code device_add pc-dimm {"memdev":"mem<N>"}} as {@code dimmmem<N>}. The
 *       guest onlines it movable ({@code memhp_default_state=online_movable}), so that it can come
 *       back out through {@link Unplug}; memory the guest onlined into the kernel zone never leaves
 *       (the deadline passes and the error says the DIMM is still there).
 *   <li>With {@code VirtioMem} ({@link #growVirtioMem}): one {@code virtio-mem-pci} as {@code
 *       virtiomem0}, plugged on first use, resized with {@code qom-set requested-size} (bytes,
 *       64-bit) instead of DIMMs; it is never unplugged.
 * </ul>
 */
public final class MemoryPlug {
  /** The virtio-mem device and its backend (Kata). */
  public static final String VIRTIO_MEM_ID = "virtiomem0";

  public static final String VIRTIO_MEM_BACKEND = "virtiomem";

  /** DIMM backends are {@code mem<N>} (Kata). */
  public static final String BACKEND_PREFIX = "mem";

  private MemoryPlug() {}

  /**
   * Adds one DIMM of {@code sizeMiB}.
   *
   * @return its record (its id is what an unplug takes)
   * @throws HotplugRefusedException with {@code VirtioMem}, beyond {@code maxmem} or the slots, or
   *     on a machine without memory hotplug
   */
  public static DeviceRecord addDimm(Tx tx, long sizeMiB) {
    tx.begin("add " + sizeMiB + " MiB of memory");
    if (tx.facts().memoryLimits().virtioMem()) {
      throw new HotplugRefusedException(
          tx.describe() + ": with VirtioMem memory is a virtio-mem device resized, not DIMMs");
    }
    checkRoom(tx, sizeMiB);
    List<MemoryDeviceInfo> devices = tx.call(new QueryMemoryDevices());
    long slots = tx.facts().memoryLimits().slots();
    if (devices.stream().filter(d -> d.slot() != null).count() >= slots) {
      throw new HotplugRefusedException(
          tx.describe() + ": all " + slots + " memory slots are in use (MemSlots)");
    }
    int n = nextNumber(devices);
    String id = DeviceTable.DIMM_PREFIX + n;
    String memdev = BACKEND_PREFIX + n;
    tx.begin("hotplug memory " + id + " (" + sizeMiB + " MiB)");
    tx.addBackend(new MemoryObject(memdev), backend(tx, memdev, sizeMiB, false));
    SandboxModel m = tx.model();
    m.memoryMiB(m.memoryMiB() + sizeMiB);
    tx.undoQuietly(() -> m.memoryMiB(m.memoryMiB() - sizeMiB));
    tx.deviceAdd(new DeviceAdd("pc-dimm", id, Slots.object().put("memdev", memdev)));
    return DeviceTable.dimm(id, memdev, sizeMiB, Map.of("hotplugged", m.memoryMiB() + "M"));
  }

  private static void checkRoom(Tx tx, long sizeMiB) {
    checkSupported(tx);
    MemoryLimits limits = tx.facts().memoryLimits();
    long now = limits.bootMiB() + tx.model().memoryMiB();
    if (now + sizeMiB > limits.maxMemMiB()) {
      throw new HotplugRefusedException(
          tx.describe()
              + ": the sandbox has "
              + now
              + " MiB and maxmem is "
              + limits.maxMemMiB()
              + " MiB");
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
    while (ids.contains(DeviceTable.DIMM_PREFIX + n)) {
      n++;
    }
    return n;
  }

  /** {@code object-add} of guest RAM's kind of backend. */
  private static ObjectAdd backend(Tx tx, String id, long sizeMiB, boolean noReserve) {
    GuestMemory g = tx.facts().memory().orElseThrow();
    ObjectNode p = Slots.object().put("size", sizeMiB * DeviceTable.MIB);
    if (!g.memPath().isEmpty()) {
      p.put("mem-path", g.memPath());
    }
    if (g.shared()) {
      p.put("share", true);
    }
    if (g.prealloc() && !noReserve) {
      p.put("prealloc", true);
    }
    if (noReserve) {
      p.put("reserve", false);
    }
    return new ObjectAdd(g.backend(), id, p);
  }

  /**
   * Adds {@code sizeMiB} to the virtio-mem device, plugging it first when it is not there: {@code
   * object-add} of a backend of {@code maxmem - MemorySize} without reservation, then {@code
   * device_add virtio-mem-pci {"memdev":"virtiomem"}} on a slot.
   *
   * @return the new {@code HotpluggedMemory}
   */
  public static long growVirtioMem(Tx tx, long sizeMiB) {
    tx.begin("add " + sizeMiB + " MiB of memory");
    checkRoom(tx, sizeMiB);
    if (tx.model().topology().find(VIRTIO_MEM_ID).isEmpty() && !tx.isPresent(VIRTIO_MEM_ID)) {
      plugVirtioMem(tx);
    }
    SandboxModel m = tx.model();
    long before = m.memoryMiB();
    resize(tx, before + sizeMiB);
    tx.undo("resize " + VIRTIO_MEM_ID + " back to " + before + " MiB", () -> resize(tx, before));
    return m.memoryMiB();
  }

  private static void plugVirtioMem(Tx tx) {
    tx.begin("set up virtio-mem " + VIRTIO_MEM_ID);
    MemoryLimits limits = tx.facts().memoryLimits();
    long size = limits.maxMemMiB() - limits.bootMiB();
    tx.addBackend(
        new MemoryObject(VIRTIO_MEM_BACKEND), backend(tx, VIRTIO_MEM_BACKEND, size, true));
    Optional<SlotReservation> slot =
        tx.reserve(VIRTIO_MEM_ID, tx.model().topology().defaultPlacement());
    ObjectNode p = Slots.object().put("memdev", VIRTIO_MEM_BACKEND);
    tx.deviceAdd(new DeviceAdd("virtio-mem-pci", VIRTIO_MEM_ID, Slots.place(p, slot)));
    tx.commit(slot);
  }

  private static void resize(Tx tx, long requestedMiB) {
    ObjectNode args =
        Slots.object()
            .put("path", QomList.PERIPHERAL + "/" + VIRTIO_MEM_ID)
            .put("property", "requested-size")
            .put("value", requestedMiB * DeviceTable.MIB);
    tx.call(new Execute("qom-set", args));
    tx.model().memoryMiB(requestedMiB);
  }

  private static void checkSupported(Tx tx) {
    if (!tx.machine().supportsMemoryHotplug() || tx.facts().memory().isEmpty()) {
      throw new HotplugRefusedException(
          tx.describe() + ": guest memory hotplug is not supported on " + tx.machine().qemuName());
    }
  }
}
