package org.vmm4j.core;

import java.util.Locale;

/**
 * A hotplug bridge laid out on the command line (DESIGN decision 12), as the persisted {@code
 * HypervisorState.Bridges[]} records it ({@code Type}, {@code ID}, {@code Addr}; {@code DeviceAddr}
 * starts empty).
 *
 * @param type {@value #PCI} for a {@code pci-bridge} (devices at slots 1..30 behind it), {@value
 *     #PCIE_ROOT_PORT} for a q35 root port (one device, at slot 0)
 * @param id the QEMU id ({@code pci-bridge-<i>}, {@code rp<i>}): the bus of devices plugged there
 * @param addr the bridge's slot on the root bus
 */
public record PciBridge(String type, String id, int addr) {
  public static final String PCI = "pci";
  public static final String PCIE_ROOT_PORT = "pcie-root-port";

  /** The PCI path of a device at {@code slot} behind this bridge: {@code "02/01"}. */
  public String devicePciPath(int slot) {
    return String.format(Locale.ROOT, "%02x/%02x", addr, slot);
  }

  /** For a root port, the PCI path of its only device: {@code "<port slot>/00"}. */
  public String rootPortDevicePath() {
    return devicePciPath(0);
  }
}
