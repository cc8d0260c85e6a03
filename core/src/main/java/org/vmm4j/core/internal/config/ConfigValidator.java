package org.vmm4j.core.internal.config;

import static org.vmm4j.core.api.ConfigException.invalid;

import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmm4j.core.api.KataFacts;
import org.vmm4j.core.api.KernelParam;
import org.vmm4j.core.api.LiveSettings;
import org.vmm4j.core.api.MachineType;
import org.vmm4j.core.internal.qemu.QemuCommandLine;
import org.vmm4j.persist.HypervisorConfig;

/**
 * The rules a {@link org.vmm4j.core.api.HypervisorConfig} (with defaults applied) must satisfy, on
 * its two records (Kata's persisted fields and the {@link LiveSettings}): Kata's {@code valid()}
 * and {@code checkTemplateConfig}, katautils' checks, the machine-type rules of {@code
 * qemu_amd64.go}/{@code qemu.go}, vmm4j's limits (memory at least 128 MiB, vCPUs at most {@code
 * DefaultMaxVCPUs}, shared guest memory for a vhost-user store), the annotation allowlists' syntax
 * ({@link AllowlistSyntax}), and what QEMU 7.2 would refuse only once started: machine options
 * ({@link MachineOptions}), root ports beyond the root bus's free slots, the kernel, initrd and
 * command line ({@link BootChecks}), firmware and nvdimm image sizes ({@link FirmwareChecks}).
 * Files are checked by {@link AssetChecks}. The first violation throws a {@link
 * org.vmm4j.core.api.ConfigException} naming the field and its value.
 */
public final class ConfigValidator {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigValidator.class);

  /** Memory below this (MiB) is refused. */
  public static final long MIN_MEMORY_MIB = 128;

  /** Kata's {@code maxPCIBridges}. */
  public static final long MAX_BRIDGES = 5;

  /** QEMU's {@code -m slots=} ceiling (ACPI_MAX_RAM_SLOTS is 256; govmm renders a uint8). */
  public static final long MAX_MEM_SLOTS = 255;

  static final long UINT32_MAX = 0xFFFF_FFFFL;

  private static final Set<String> BLOCK_DRIVERS = Set.copyOf(KataFacts.BLOCK_DRIVERS);

  private ConfigValidator() {}

  /** Checks every rule, files included: Kata's fields {@code c}, the live settings {@code l}. */
  public static void check(HypervisorConfig c, LiveSettings l) {
    checkRanges(c);
    MachineType machine = KataFacts.machineType(c);
    checkRequiredAssets(c);
    checkTemplate(c);
    checkLimits(c, machine);
    checkSharedFs(c);
    checkBlockAndMemory(c, l);
    checkMachineFeatures(c, l, machine);
    checkKernelParams(l.kernelParams(), "KernelParams");
    checkKernelParams(l.hypervisorParams(), "HypervisorParams");
    AllowlistSyntax.check(c, l);
    MachineOptions.check(c);
    org.vmm4j.core.api.HypervisorConfig config = new org.vmm4j.core.api.HypervisorConfig(c, l);
    QemuCommandLine.checkRootBus(config);
    AssetChecks.check(c, l);
    BootChecks.check(config);
    FirmwareChecks.check(c, l);
  }

  /** Every Go integer of Kata's record is within its Go type. */
  private static void checkRanges(HypervisorConfig c) {
    for (ConfigFields.Field f : ConfigFields.PERSISTED) {
      if (f.kind() == ConfigFields.Kind.INTEGER) {
        long value = (Long) f.get(c, null);
        if (!f.goType().holds(value)) {
          throw invalid(f.name(), value, "is outside " + f.goType().range());
        }
      }
    }
  }

  private static void checkRequiredAssets(HypervisorConfig c) {
    if (c.kernelPath().isEmpty()) {
      throw invalid("KernelPath", "", "is missing: a guest kernel is required");
    }
    if (c.imagePath().isEmpty() && c.initrdPath().isEmpty()) {
      throw invalid("ImagePath", "", "and InitrdPath are both empty: one of them is required");
    }
    if (!c.imagePath().isEmpty() && !c.initrdPath().isEmpty()) {
      throw invalid(
          "ImagePath",
          c.imagePath(),
          "and InitrdPath=" + c.initrdPath() + " are both set: only one of them may be");
    }
  }

  private static void checkTemplate(HypervisorConfig c) {
    if (c.bootToBeTemplate() && c.bootFromTemplate()) {
      throw invalid("BootToBeTemplate", true, "and BootFromTemplate=true are both set");
    }
    if (!KataFacts.templating(c)) {
      return;
    }
    String which = c.bootToBeTemplate() ? "BootToBeTemplate" : "BootFromTemplate";
    if (c.memoryPath().isEmpty()) {
      throw invalid("MemoryPath", "", "is missing: " + which + "=true needs the template memory");
    }
    if (c.bootFromTemplate() && c.devicesStatePath().isEmpty()) {
      throw invalid("DevicesStatePath", "", "is missing: BootFromTemplate=true needs it");
    }
    if (KataFacts.usesVirtioFs(c) || !c.fileBackedMemRootDir().isEmpty()) {
      throw invalid(
          which,
          true,
          "cannot be combined with virtio-fs or FileBackedMemRootDir (VM templating has its own"
              + " file-backed memory)");
    }
  }

  private static void checkLimits(HypervisorConfig c, MachineType machine) {
    if (c.numVcpus() > c.defaultMaxVcpus()) {
      throw invalid("NumVCPUs", c.numVcpus(), "is above DefaultMaxVCPUs=" + c.defaultMaxVcpus());
    }
    if (c.defaultMaxVcpus() > machine.maxCpus()) {
      throw invalid(
          "DefaultMaxVCPUs",
          c.defaultMaxVcpus(),
          "is above the " + machine.qemuName() + " machine's limit of " + machine.maxCpus());
    }
    if (c.memorySize() < MIN_MEMORY_MIB) {
      throw invalid(
          "MemorySize", c.memorySize(), "MiB is below the minimum of " + MIN_MEMORY_MIB + " MiB");
    }
    if (c.memSlots() > MAX_MEM_SLOTS) {
      throw invalid("MemSlots", c.memSlots(), "is above the maximum of " + MAX_MEM_SLOTS);
    }
    if (c.defaultBridges() > MAX_BRIDGES) {
      throw invalid("DefaultBridges", c.defaultBridges(), "is above the maximum of " + MAX_BRIDGES);
    }
  }

  private static void checkSharedFs(HypervisorConfig c) {
    String fs = c.sharedFs();
    if (!fs.isEmpty() && !KataFacts.SHARED_FS.contains(fs)) {
      throw invalid("SharedFS", fs, "is not virtio-9p or virtio-fs");
    }
    if (KataFacts.usesVirtioFs(c) && c.virtioFsDaemon().isEmpty()) {
      throw invalid("VirtioFSDaemon", "", "is missing: SharedFS=virtio-fs needs a virtiofsd");
    }
    if (c.virtioFsCacheSize() != 0) {
      throw invalid(
          "VirtioFSCacheSize",
          c.virtioFsCacheSize(),
          "is not supported: QEMU 7.2's vhost-user-fs-pci has no DAX window (cache-size); use 0");
    }
  }

  private static void checkBlockAndMemory(HypervisorConfig c, LiveSettings l) {
    if (!BLOCK_DRIVERS.contains(c.blockDeviceDriver())) {
      throw invalid(
          "BlockDeviceDriver",
          c.blockDeviceDriver(),
          "is not one of virtio-scsi, virtio-blk, virtio-mmio, nvdimm");
    }
    boolean shared =
        c.hugePages()
            || !c.fileBackedMemRootDir().isEmpty()
            || KataFacts.usesVirtioFs(c)
            || l.sharedMemory();
    if (c.enableVhostUserStore() && !shared) {
      throw invalid(
          "EnableVhostUserStore",
          true,
          "needs shared guest memory (the vhost-user daemon maps it): set HugePages,"
              + " FileBackedMemRootDir or SharedMemory");
    }
  }

  private static void checkMachineFeatures(
      HypervisorConfig c, LiveSettings l, MachineType machine) {
    String name = machine.qemuName();
    if (l.iommu() && machine != MachineType.Q35) {
      throw invalid("IOMMU", true, "needs HypervisorMachineType=q35 (got " + name + ")");
    }
    if (l.nativePcieHotplug() && machine != MachineType.Q35) {
      throw invalid(
          "NativePCIeHotplug", true, "needs HypervisorMachineType=q35 (got " + name + ")");
    }
    if (c.pcieRootPort() > 0 && machine != MachineType.Q35) {
      LOG.warn(
          "HypervisorConfig: PCIeRootPort={} ignored: root ports exist on q35 only (machine {})",
          c.pcieRootPort(),
          name);
    }
    if (machine == MachineType.MICROVM) {
      if (KataFacts.imageOnNvdimm(c)) {
        throw invalid(
            "DisableImageNvdimm",
            false,
            "with an ImagePath on microvm: microvm has no nvdimm, set DisableImageNvdimm=true");
      }
      if (c.useVsock()) {
        throw invalid(
            "UseVSock",
            true,
            "is not supported on microvm: vhost-vsock is added over QMP before cont and"
                + " microvm's virtio-mmio buses take no hot-plugged device");
      }
    }
  }

  private static void checkKernelParams(List<KernelParam> params, String field) {
    for (KernelParam p : params) {
      if (p.key().isEmpty()) {
        throw invalid(field, "=" + p.value(), "has a parameter with an empty key");
      }
      if (containsWhitespace(p.key()) || containsWhitespace(p.value())) {
        throw invalid(field, p, "has a parameter containing whitespace");
      }
    }
  }

  private static boolean containsWhitespace(String s) {
    return s.chars().anyMatch(Character::isWhitespace);
  }
}
