package org.vmm4j.devices;

import java.util.Objects;
import org.vmm4j.persist.PciPath;

/**
 * A hotplug bridge on the root bus (a {@code pci-bridge} at slot 2+i, or a q35 PCIe root port), as
 * the command line lays it out and {@code HypervisorState.Bridges[]} records it ({@code Type},
 * {@code ID}, {@code Addr}).
 *
 * @param type a {@code pci-bridge} or a q35 root port
 * @param id the QEMU id ({@code pci-bridge-<i>}, {@code rp<i>}): the bus of devices plugged there
 * @param addr the bridge's slot on the root bus, 0..31
 */
public record PciBridge(BridgeType type, String id, int addr) {
  /** Kata's slot of bridge 0 on the root bus (slots 0 and 1 belong to the platform). */
  public static final int FIRST_BRIDGE_SLOT = 2;

  public PciBridge {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(id, "id");
    if (id.isEmpty()) {
      throw new IllegalArgumentException("bridge id is empty");
    }
    if (addr < 0 || addr > PciPath.MAX_SLOT) {
      throw new IllegalArgumentException("bridge " + id + ": slot " + addr + " not in 0..31");
    }
  }

  /** Kata's bridge {@code i}: {@code pci-bridge-<i>} at root slot {@code 2+i}. */
  public static PciBridge pciBridge(int index) {
    return new PciBridge(BridgeType.PCI, "pci-bridge-" + index, FIRST_BRIDGE_SLOT + index);
  }

  /** A q35 root port {@code id} at root slot {@code addr}. */
  public static PciBridge rootPort(String id, int addr) {
    return new PciBridge(BridgeType.PCIE_ROOT_PORT, id, addr);
  }

  /** The PCI path of a device at {@code slot} behind this bridge: {@code 02/01}. */
  public PciPath devicePciPath(int slot) {
    return PciPath.of(addr, slot);
  }

  /** For a root port, the PCI path of its only device: {@code <port slot>/00}. */
  public PciPath rootPortDevicePath() {
    return devicePciPath(0);
  }

  /** {@code pci-bridge-0 at 02}, for messages. */
  public String describe() {
    return String.format("%s at %02x", id, addr);
  }
}
