package org.vmm4j.core.internal.qemu;

import org.vmm4j.core.api.HostCapabilities;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.MachineType;

/**
 * {@code -machine}, {@code -cpu}, {@code -m}, {@code -smp}, and the clock and global knobs, in QEMU
 * 7.2's syntax (Kata's machine types of {@code qemu_amd64.go}, as govmm renders them).
 */
final class MachineArgs {
  /** MiB Kata reserves in {@code maxmem} for the rootfs image's nvdimm. */
  static final long NVDIMM_RESERVE_MIB = 1024;

  private MachineArgs() {}

  /**
   * {@code -machine <type>,accel=kvm,kernel_irqchip=on|split[,nvdimm=on][,<accelerators>]} or
   * {@code accel=tcg} (no irqchip option: it belongs to KVM), then {@code -cpu host[,vmx=off][,
   * <features>]} with KVM, {@code -cpu max} under TCG (QEMU refuses {@code host} there).
   */
  static void machineAndCpu(Argv a, Plan p) {
    HypervisorConfig c = p.c();
    Opts m = Opts.of(p.machine().qemuName()).add("accel", p.accel().wireName());
    if (p.kvm()) {
      boolean split = c.live().iommu() && p.machine() == MachineType.Q35;
      m.add("kernel_irqchip", split ? "split" : "on");
    }
    m.addIf(c.imageOnNvdimm(), "nvdimm", "on");
    m.raw(c.kata().machineAccelerators());
    if (p.memoryBackendOnMachine()) {
      m.add("memory-backend", MemoryArgs.BACKEND_ID);
    }
    a.add("-machine", m);
    a.add("-cpu", cpuModel(p));
  }

  private static String cpuModel(Plan p) {
    if (!p.kvm()) {
      return "max";
    }
    StringBuilder cpu = new StringBuilder("host");
    if (p.c().templating()) {
      cpu.append(",vmx=off");
    }
    if (!p.c().kata().cpuFeatures().isEmpty()) {
      cpu.append(',').append(p.c().kata().cpuFeatures());
    }
    return cpu.toString();
  }

  /**
   * {@code -m <M>M,slots=<S>,maxmem=<host + 1024 + MemOffset>M}; microvm (no memory hotplug) only
   * {@code -m <M>M}.
   */
  static void memorySize(Argv a, Plan p) {
    HypervisorConfig c = p.c();
    String size = c.kata().memorySize() + "M";
    if (!p.machine().supportsMemoryHotplug()) {
      a.add("-m", size);
      return;
    }
    long maxMem = maxMemMiB(c, p.ctx().host());
    a.add("-m", Opts.of(size).add("slots", c.kata().memSlots()).add("maxmem", maxMem + "M"));
  }

  /**
   * {@code -rtc base=utc,driftfix=slew,clock=host}; {@code -global
   * kvm-pit.lost_tick_policy=discard} with KVM (the in-kernel PIT); native PCIe hotplug's {@code
   * -global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off} when asked for (q35).
   */
  static void clockAndGlobals(Argv a, Plan p) {
    a.add("-rtc", "base=utc,driftfix=slew,clock=host");
    if (p.kvm()) {
      a.add("-global", "kvm-pit.lost_tick_policy=discard");
    }
    if (p.c().live().nativePcieHotplug()) {
      a.add("-global", "ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off");
    }
  }

  /**
   * {@code maxmem} in MiB: the host's memory + 1024 (Kata's nvdimm reserve) + {@code MemOffset}.
   */
  static long maxMemMiB(HypervisorConfig c, HostCapabilities host) {
    return host.memTotalMiB() + NVDIMM_RESERVE_MIB + c.kata().memOffset();
  }

  /** {@code -smp N,cores=1,threads=1,sockets=MAX,maxcpus=MAX} (Kata's {@code cpuTopology}). */
  static void smp(Argv a, Plan p) {
    long max = p.c().kata().defaultMaxVcpus();
    a.add(
        "-smp",
        Opts.of(Long.toString(p.c().kata().numVcpus()))
            .add("cores", 1)
            .add("threads", 1)
            .add("sockets", max)
            .add("maxcpus", max));
  }
}
