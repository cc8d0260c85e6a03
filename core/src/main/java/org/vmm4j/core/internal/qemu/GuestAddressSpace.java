package org.vmm4j.core.internal.qemu;

import org.vmm4j.core.api.MachineType;

/**
 * Where QEMU 7.2 puts hot-pluggable memory and the 64-bit PCI hole on pc and q35, and how large
 * {@code maxmem} may be before the highest guest address outgrows the vCPU's address bits (QEMU
 * then exits with {@code Address space limit 0xffffffffff < 0x... phys-bits too low (40)}).
 *
 * <p>QEMU's layout ({@code pc_memory_init}, {@code pc_pci_hole64_start}): the hot-plug region
 * starts at 4 GiB + the RAM above 4 GiB ({@link RamLayout}), rounded up to 1 GiB; it spans {@code
 * maxmem} - RAM + 1 GiB per memory slot; the 64-bit PCI hole follows, rounded up to 1 GiB, 2 GiB
 * long on pc and 32 GiB on q35; its last byte is the highest guest address. Under TCG the vCPU
 * ({@code -cpu max}) has 40 address bits and AMD's vendor, and QEMU moves the RAM above 4 GiB to 1
 * TiB (past AMD's HyperTransport hole) as soon as the highest address would reach {@code
 * 0xfd00000000} (1012 GiB); after that move nothing fits 40 bits. So under TCG the hole must end
 * below 1012 GiB. Measured here at the boundary (one MiB more of {@code maxmem} is refused) for pc
 * and q35 with 2048, 2800, 3000, 3583 and 4096 MiB of RAM and 1 and 10 slots.
 *
 * <p>With KVM the vCPU has the host's address bits and vendor; that case is not modelled here.
 */
final class GuestAddressSpace {
  /** {@code AMD_HT_START}: where the HyperTransport hole starts, in MiB (1012 GiB). */
  static final long AMD_HT_START_MIB = 1012 * 1024;

  static final long GIB_IN_MIB = 1024;

  private GuestAddressSpace() {}

  /** The 64-bit PCI hole's size in MiB: 2 GiB on pc (i440FX), 32 GiB on q35. */
  static long hole64MiB(MachineType machine) {
    return machine == MachineType.Q35 ? 32 * GIB_IN_MIB : 2 * GIB_IN_MIB;
  }

  /**
   * The largest {@code maxmem} (MiB) QEMU 7.2 accepts under TCG with {@code memMiB} of RAM and
   * {@code slots} memory slots on {@code machine} (pc or q35); below {@code memMiB} when none.
   */
  static long tcgMaxMemMiB(MachineType machine, long memMiB, long slots) {
    long regionStart = roundUpGiB(4 * GIB_IN_MIB + RamLayout.of(machine, memMiB).aboveMiB());
    // the hole must end at or below AMD_HT_START: its start (a GiB multiple) at or below that
    // less the hole, hence the unrounded end of the hot-plug region too
    long regionEndLimit = AMD_HT_START_MIB - hole64MiB(machine);
    return regionEndLimit - regionStart - slots * GIB_IN_MIB + memMiB;
  }

  private static long roundUpGiB(long mib) {
    return (mib + GIB_IN_MIB - 1) / GIB_IN_MIB * GIB_IN_MIB;
  }
}
