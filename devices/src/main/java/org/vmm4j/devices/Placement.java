package org.vmm4j.devices;

/** Where a hot-plugged PCI device goes: a bridge slot, a root port, or the root bus. */
public enum Placement {
  /** A free slot (1..30) on a {@code pci-bridge}, lowest slot of the first bridge with room. */
  PCI_BRIDGE,
  /** A free q35 {@code pcie-root-port} (the device at slot 0, no {@code addr}). */
  ROOT_PORT,
  /**
   * The root bus, QEMU choosing the slot ({@code HotplugVFIOOnRootBus}); pc only: q35's {@code
   * pcie.0} refuses hot-plugged devices. No slot is tracked.
   */
  ROOT_BUS
}
