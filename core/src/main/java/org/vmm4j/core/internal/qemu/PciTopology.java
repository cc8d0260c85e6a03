package org.vmm4j.core.internal.qemu;

import static org.vmm4j.core.api.ConfigException.invalid;

import java.util.ArrayList;
import java.util.List;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.MachineType;
import org.vmm4j.devices.PciBridge;

/**
 * The hotplug topology on the root bus, as Kata lays it out, first among the devices so that no
 * auto-addressed device takes a slot it needs:
 *
 * <ul>
 *   <li>bridge i: {@code -device pci-bridge,bus=<root>,id=pci-bridge-<i>,chassis_nr=<i+1>,
 *       shpc=on,addr=<2+i>,romfile=} (pc and q35, Kata's rendering);
 *   <li>q35 root port i: {@code -device pcie-root-port,id=rp<i>,bus=pcie.0,chassis=0,slot=<i>,
 *       addr=<2+DefaultBridges+i>,multifunction=off}: Kata's rendering plus an explicit address
 *       right after the bridges (Kata leaves it to QEMU, which can collide);
 *   <li>q35 with vsock: one more root port, {@code vsock-rp}, where the vhost-vsock device is
 *       hot-added before {@code cont} ({@code pcie.0} takes no hot-plugged device).
 * </ul>
 *
 * Addresses are hexadecimal, as govmm prints them. The auto-addressed devices that follow must
 * still fit on the root bus: {@value #ROOT_SLOTS} slots are free on both machines (pc: 2..31, q35:
 * 1..30).
 */
final class PciTopology {
  static final int FIRST_SLOT = PciBridge.FIRST_BRIDGE_SLOT;
  static final int ROOT_SLOTS = 30;
  static final String VSOCK_PORT = "vsock-rp";

  private PciTopology() {}

  /** Appends the bridges and root ports; returns them in order ({@code vsock-rp} excluded). */
  static List<PciBridge> append(Argv a, Plan p) {
    HypervisorConfig c = p.c();
    MachineType m = p.machine();
    if (!m.isPci()) {
      return List.of();
    }
    List<PciBridge> bridges = new ArrayList<>();
    int slot = FIRST_SLOT;
    for (int i = 0; i < c.kata().defaultBridges(); i++, slot++) {
      PciBridge b = PciBridge.pciBridge(i);
      a.device(
          Opts.of("pci-bridge")
              .add("bus", m.rootBus())
              .add("id", b.id())
              .add("chassis_nr", i + 1)
              .add("shpc", "on")
              .add("addr", Integer.toHexString(slot))
              .add("romfile", ""));
      bridges.add(b);
    }
    for (int i = 0; i < rootPorts(p); i++, slot++) {
      PciBridge b = PciBridge.rootPort("rp" + i, slot);
      a.device(rootPort(b.id(), i, slot));
      bridges.add(b);
    }
    if (vsockPort(p)) {
      a.device(rootPort(VSOCK_PORT, rootPorts(p), slot));
    }
    return bridges;
  }

  private static Opts rootPort(String id, int index, int slot) {
    return Opts.of("pcie-root-port")
        .add("id", id)
        .add("bus", "pcie.0")
        .add("chassis", 0)
        .add("slot", index)
        .add("addr", Integer.toHexString(slot))
        .add("multifunction", "off");
  }

  /** Root ports exist on q35 only (elsewhere Kata ignores {@code PCIeRootPort}). */
  static int rootPorts(Plan p) {
    return Math.toIntExact(requestedRootPorts(p.c()));
  }

  /** As configured: a {@code long}, so that no value wraps around. */
  private static long requestedRootPorts(HypervisorConfig c) {
    return c.machineType() == MachineType.Q35 ? c.kata().pcieRootPort() : 0;
  }

  static boolean vsockPort(Plan p) {
    return vsockPort(p.c());
  }

  private static boolean vsockPort(HypervisorConfig c) {
    return c.kata().useVsock() && c.machineType() == MachineType.Q35;
  }

  /** The devices QEMU addresses itself on the root bus. */
  static int autoAddressed(HypervisorConfig c) {
    int n = 3; // virtio-serial, virtio-rng, the shared file system
    n += Plan.scsi(c) ? 1 : 0;
    n += !c.kata().imagePath().isEmpty() && c.kata().disableImageNvdimm() ? 1 : 0; // virtio-blk
    n += c.kata().useVsock() && c.machineType() == MachineType.PC ? 1 : 0;
    return n;
  }

  /**
   * Refuses more root ports than the root bus has free slots for, with the bridges and the
   * auto-addressed devices: QEMU 7.2 would refuse the first device that finds no slot ({@code PCI:
   * no slot/function available for virtio-9p-pci, all in use or reserved}; measured on q35 with 1
   * bridge and 26 root ports, and 5 bridges and 22).
   */
  static void checkCapacity(HypervisorConfig c) {
    if (!c.machineType().isPci()) {
      return;
    }
    long used = c.kata().defaultBridges() + (vsockPort(c) ? 1 : 0) + autoAddressed(c);
    long room = ROOT_SLOTS - used;
    if (requestedRootPorts(c) > room) {
      throw invalid(
          "PCIeRootPort",
          c.kata().pcieRootPort(),
          "does not fit: q35's pcie.0 has "
              + ROOT_SLOTS
              + " free slots and the bridges and other devices take "
              + used
              + " (at most "
              + Math.max(room, 0)
              + " root ports)");
    }
  }
}
