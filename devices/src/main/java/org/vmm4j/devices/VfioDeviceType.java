package org.vmm4j.devices;

/** The kinds of VFIO device, with the {@code VFIODev.Type} number Kata writes. */
public enum VfioDeviceType {
  /** A PCI device given by its BDF ({@code vfio-pci host=}). */
  NORMAL(1),
  /** A mediated device given by its sysfs path ({@code vfio-pci sysfsdev=}). */
  MEDIATED(2);

  private final int kataType;

  VfioDeviceType(int kataType) {
    this.kataType = kataType;
  }

  /** {@code VFIODev.Type}: 1 normal, 2 mediated. */
  public int kataType() {
    return kataType;
  }
}
