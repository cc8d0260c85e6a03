package org.vmm4j.core.internal.qemu;

import static org.vmm4j.core.api.ConfigException.invalid;

import java.util.Optional;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.HostCapabilities;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.MachineType;

/**
 * The limits a validated config must also meet on a given host, checked before anything of a start
 * exists (no lock file, directory, state or QEMU): each is a value QEMU 7.2 would refuse only once
 * started. The accelerator (KVM when asked for must be usable), the vCPUs under TCG, vsock's host
 * device, and guest memory against {@code maxmem}, the host's memory and TCG's address space.
 */
public final class LaunchLimits {
  private LaunchLimits() {}

  /**
   * Checks {@code c} (validated) against {@code host}; {@code memory} empty skips the host-memory
   * rule.
   *
   * @throws org.vmm4j.core.api.ConfigException naming the field, the value and the limit
   */
  public static void check(HypervisorConfig c, HostCapabilities host, Optional<HostMemory> memory) {
    Accelerator accel = Plan.accelerator(c.live().accelerator(), host);
    checkVcpus(c, accel);
    if (c.kata().useVsock() && !host.vhostVsock()) {
      throw invalid("UseVSock", true, "but /dev/vhost-vsock is not usable on this host");
    }
    MachineType machine = c.machineType();
    if (machine.supportsMemoryHotplug()) {
      checkMaxMem(c, host);
    }
    memory.ifPresent(m -> checkHostMemory(c, m));
    if (machine.supportsMemoryHotplug() && accel == Accelerator.TCG) {
      checkTcgAddressSpace(c, host);
    }
  }

  /** QEMU 7.2 under TCG: {@code current -smp configuration requires kernel irqchip and X2APIC}. */
  private static void checkVcpus(HypervisorConfig c, Accelerator accel) {
    if (accel == Accelerator.TCG && c.kata().defaultMaxVcpus() > MachineType.TCG_MAX_CPUS) {
      throw invalid(
          "DefaultMaxVCPUs",
          c.kata().defaultMaxVcpus(),
          "is above " + MachineType.TCG_MAX_CPUS + ", the most QEMU 7.2 accepts under TCG");
    }
  }

  /**
   * QEMU 7.2: {@code invalid value of maxmem: maximum memory size (...) must be at least the
   * initial memory size (...)}, and with memory slots ({@code -m ...,slots=}) {@code ... is equal
   * to the initial memory size}: the initial memory must stay below {@code maxmem}.
   */
  private static void checkMaxMem(HypervisorConfig c, HostCapabilities host) {
    long maxMem = MachineArgs.maxMemMiB(c, host);
    if (c.kata().memorySize() >= maxMem) {
      throw invalid(
          "MemorySize",
          c.kata().memorySize(),
          "MiB is not below maxmem="
              + maxMem
              + " MiB (this host's "
              + host.memTotalMiB()
              + " MiB + "
              + MachineArgs.NVDIMM_RESERVE_MIB
              + " + MemOffset="
              + c.kata().memOffset()
              + "): QEMU 7.2 refuses an initial memory that is not below its maximum");
    }
  }

  /** See {@link HostMemory}: plain RAM larger than the host's memory and swap. */
  private static void checkHostMemory(HypervisorConfig c, HostMemory m) {
    GuestMemory backend = MemoryArgs.plan(c);
    if (backend.backend().equals(GuestMemory.RAM) && m.refusesPrivate(c.kata().memorySize())) {
      throw invalid(
          "MemorySize",
          c.kata().memorySize(),
          "MiB is more than this host's "
              + m.memTotalKiB() / 1024
              + " MiB of memory and "
              + m.swapTotalKiB() / 1024
              + " MiB of swap: with vm.overcommit_memory=0 QEMU 7.2 cannot allocate it as plain"
              + " RAM (cannot set up guest memory)");
    }
  }

  /** See {@link GuestAddressSpace}. */
  private static void checkTcgAddressSpace(HypervisorConfig c, HostCapabilities host) {
    MachineType machine = c.machineType();
    long maxMem = MachineArgs.maxMemMiB(c, host);
    long limit =
        GuestAddressSpace.tcgMaxMemMiB(machine, c.kata().memorySize(), c.kata().memSlots());
    if (maxMem > limit) {
      throw invalid(
          "MemOffset",
          c.kata().memOffset(),
          "makes maxmem="
              + maxMem
              + " MiB (this host's "
              + host.memTotalMiB()
              + " MiB + "
              + MachineArgs.NVDIMM_RESERVE_MIB
              + " + MemOffset): under TCG QEMU 7.2's vCPU has 40 address bits, room for a maxmem"
              + " of at most "
              + limit
              + " MiB with MemorySize="
              + c.kata().memorySize()
              + " MiB and MemSlots="
              + c.kata().memSlots()
              + " on "
              + machine.qemuName());
    }
  }
}
