package org.vmm4j.devices;

import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of hotplug bridge, with the {@code Type} Kata writes in {@code
 * HypervisorState.Bridges[]}.
 */
public enum BridgeType {
  /** A {@code pci-bridge} (pc and q35): devices at slots 1..30, slot 0 reserved (Kata). */
  PCI("pci", 1, 30),
  /** Kata's {@code pcie} bridge type: the same slots; read from Kata's files, never created. */
  PCIE("pcie", 1, 30),
  /** A q35 {@code pcie-root-port}: one device, at slot 0 (never give {@code addr} below it). */
  PCIE_ROOT_PORT("pcie-root-port", 0, 0);

  private final String kataType;
  private final int firstSlot;
  private final int lastSlot;

  BridgeType(String kataType, int firstSlot, int lastSlot) {
    this.kataType = kataType;
    this.firstSlot = firstSlot;
    this.lastSlot = lastSlot;
  }

  /** The persisted {@code Bridge.Type}: {@code pci}, {@code pcie}, {@code pcie-root-port}. */
  public String kataType() {
    return kataType;
  }

  /** The lowest slot a device may take behind a bridge of this type. */
  public int firstSlot() {
    return firstSlot;
  }

  /** The highest slot a device may take behind a bridge of this type. */
  public int lastSlot() {
    return lastSlot;
  }

  /** How many devices a bridge of this type takes (Kata's {@code MaxCapacity}). */
  public int capacity() {
    return lastSlot - firstSlot + 1;
  }

  /** Whether devices are placed with an explicit {@code addr} (bridges; not root ports). */
  public boolean takesAddr() {
    return this != PCIE_ROOT_PORT;
  }

  /** The type whose {@link #kataType()} is {@code kataType}. */
  public static Optional<BridgeType> fromKataType(String kataType) {
    return Arrays.stream(values()).filter(t -> t.kataType.equals(kataType)).findFirst();
  }
}
