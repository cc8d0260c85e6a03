package org.vmm4j.core.internal.qemu;

import org.vmm4j.core.api.MachineType;

/**
 * How QEMU 7.2 splits a guest's initial RAM around the 32-bit PCI hole, and the ACPI data it keeps
 * at the top of the low part: what decides where an initrd may go and where hot-pluggable memory
 * starts. Measured here from QEMU's own {@code initrd is too large, cannot support.(max: N, ...)}
 * message (N = below 4 GiB - ACPI data - 1) with a kernel that may load its initrd anywhere:
 *
 * <ul>
 *   <li>pc: all RAM below 4 GiB up to 3583 MiB; from 3584 MiB ({@code 0xe0000000}) on, 3072 MiB
 *       below and the rest above; ACPI data 160 KiB;
 *   <li>q35: all below up to 2815 MiB; from 2816 MiB ({@code 0xb0000000}) on, 2048 MiB below; ACPI
 *       data 160 KiB;
 *   <li>microvm: at most 3072 MiB below; no ACPI data reserved there.
 * </ul>
 *
 * @param belowMiB RAM below 4 GiB
 * @param aboveMiB RAM above 4 GiB
 * @param acpiDataBytes bytes at the top of the low RAM that an initrd may not use
 */
public record RamLayout(long belowMiB, long aboveMiB, long acpiDataBytes) {
  static final long MIB = 1024 * 1024;

  /** The layout of {@code memMiB} of initial RAM on {@code machine}. */
  public static RamLayout of(MachineType machine, long memMiB) {
    return switch (machine) {
      case PC -> split(memMiB, 3584, 3072, 0x28000);
      case Q35 -> split(memMiB, 2816, 2048, 0x28000);
      case MICROVM -> split(memMiB, 3073, 3072, 0);
    };
  }

  private static RamLayout split(long mem, long splitFrom, long below, long acpi) {
    return mem >= splitFrom ? new RamLayout(below, mem - below, acpi) : new RamLayout(mem, 0, acpi);
  }

  /**
   * QEMU's {@code initrd_max} as RAM bounds it: RAM below 4 GiB less the ACPI data, less 1; QEMU
   * refuses an initrd of this size or more.
   */
  public long initrdMax() {
    return belowMiB * MIB - acpiDataBytes - 1;
  }
}
