package org.vmm4j.core.internal.annotations;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.vmm4j.core.HypervisorConfigBuilder;
import org.vmm4j.core.KernelParam;
import org.vmm4j.core.MachineType;

/**
 * Every {@code io.katacontainers.config.hypervisor.<name>} annotation of Kata 1.13 (deltas 3.2):
 * the path and hash annotations of {@link Assets}, and the values below, each parsed strictly
 * ({@link Values}). Where 1.13 has a quirk, the rule here is the sound one: {@code memory_offset=0}
 * sets 0 and {@code memory_slots=0} is refused (1.13 ignored both), {@code enable_vhost_user_store}
 * applies (1.13 never applied it), {@code machine_type=microvm} implies {@code DisableImageNvdimm}
 * as the TOML key does, {@code use_vsock} moves the whole agent channel (vmm4j derives it from
 * {@code UseVSock}), {@code image} and {@code initrd} each replace the other, {@code
 * virtio_fs_cache} is one of virtiofsd's modes (a free string reached virtiofsd's {@code -o}), and
 * {@code machine_accelerators} takes only the machine switches of {@link #MACHINE_OPTIONS} (a free
 * string could add {@code kernel=}, {@code firmware=}, ... to {@code -machine}); {@code
 * virtio_fs_extra_args} is refused (host-side daemon arguments; 1.13 defined but never applied it).
 * Ranges that depend on other fields are checked when the result is validated, with vmm4j's limits
 * (DESIGN decision 15: vCPUs at most {@code DefaultMaxVCPUs}, which is at most the machine's limit,
 * memory at least 128 MiB) instead of 1.13's host-CPU ceiling.
 */
final class HypervisorAnnotations {
  static final String PREFIX = "io.katacontainers.config.hypervisor.";

  /** Kata's maximum of PCIe root ports (q35's pcie.0 has 30 free slots). */
  static final long MAX_PCIE_ROOT_PORTS = 30;

  /**
   * The {@code -machine} options {@code machine_accelerators} may set: switches of the pc, q35 and
   * microvm machines. Options naming files or objects ({@code kernel=}, {@code firmware=}, {@code
   * dumpdtb=}, {@code memory-backend=}, ...) are not among them.
   */
  static final Set<String> MACHINE_OPTIONS =
      Set.of(
          "acpi",
          "dump-guest-core",
          "graphics",
          "hpet",
          "i8042",
          "isa-serial",
          "mem-merge",
          "pic",
          "pit",
          "rtc",
          "sata",
          "smbus",
          "smm",
          "suppress-vmdesc",
          "usb",
          "vmport",
          "x-option-roms");

  static final List<String> BLOCK_DRIVERS =
      List.of("virtio-scsi", "virtio-blk", "virtio-mmio", "nvdimm");
  static final List<String> SHARED_FS = List.of("virtio-9p", "virtio-fs");
  static final List<String> VIRTIOFS_CACHE = List.of("none", "auto", "always");

  static final Map<String, Spec> SPECS = table();

  private HypervisorAnnotations() {}

  private static Map<String, Spec> table() {
    List<Spec> all = new ArrayList<>(Assets.SPECS);
    all.addAll(
        List.of(
            new Spec("kernel_params", HypervisorAnnotations::kernelParams),
            uint("default_vcpus", "NumVCPUs", 0, HypervisorConfigBuilder::numVCPUs),
            uint(
                "default_max_vcpus",
                "DefaultMaxVCPUs",
                0,
                HypervisorConfigBuilder::defaultMaxVCPUs),
            uint("default_memory", "MemorySize", 0, HypervisorConfigBuilder::memorySize),
            uint("memory_slots", "MemSlots", 1, HypervisorConfigBuilder::memSlots),
            uint("memory_offset", "MemOffset", 0, HypervisorConfigBuilder::memOffset),
            bool("enable_virtio_mem", "VirtioMem", HypervisorConfigBuilder::virtioMem),
            bool("enable_mem_prealloc", "MemPrealloc", HypervisorConfigBuilder::memPrealloc),
            bool("enable_swap", "Mlock", (b, swap) -> b.mlock(!swap)),
            bool("enable_hugepages", "HugePages", HypervisorConfigBuilder::hugePages),
            bool("enable_iommu", "IOMMU", HypervisorConfigBuilder::iommu),
            bool("enable_iommu_platform", "IOMMUPlatform", HypervisorConfigBuilder::iommuPlatform),
            new Spec("block_device_driver", HypervisorAnnotations::blockDeviceDriver),
            bool(
                "disable_block_device_use",
                "DisableBlockDeviceUse",
                HypervisorConfigBuilder::disableBlockDeviceUse),
            bool("enable_iothreads", "EnableIOThreads", HypervisorConfigBuilder::enableIOThreads),
            bool(
                "block_device_cache_set",
                "BlockDeviceCacheSet",
                HypervisorConfigBuilder::blockDeviceCacheSet),
            bool(
                "block_device_cache_direct",
                "BlockDeviceCacheDirect",
                HypervisorConfigBuilder::blockDeviceCacheDirect),
            bool(
                "block_device_cache_noflush",
                "BlockDeviceCacheNoflush",
                HypervisorConfigBuilder::blockDeviceCacheNoflush),
            choice("shared_fs", "SharedFS", SHARED_FS, HypervisorConfigBuilder::sharedFS),
            choice(
                "virtio_fs_cache",
                "VirtioFSCache",
                VIRTIOFS_CACHE,
                HypervisorConfigBuilder::virtioFSCache),
            uint(
                "virtio_fs_cache_size",
                "VirtioFSCacheSize",
                0,
                HypervisorConfigBuilder::virtioFSCacheSize),
            uint("msize_9p", "Msize9p", 1, HypervisorConfigBuilder::msize9p),
            new Spec("machine_type", HypervisorAnnotations::machineType),
            new Spec("machine_accelerators", HypervisorAnnotations::machineAccelerators),
            new Spec("cpu_features", HypervisorAnnotations::cpuFeatures),
            bool("disable_vhost_net", "DisableVhostNet", HypervisorConfigBuilder::disableVhostNet),
            new Spec("guest_hook_path", HypervisorAnnotations::guestHookPath),
            new Spec("use_vsock", HypervisorAnnotations::useVsock),
            bool(
                "disable_image_nvdimm",
                "DisableImageNvdimm",
                HypervisorConfigBuilder::disableImageNvdimm),
            bool(
                "hotplug_vfio_on_root_bus",
                "HotplugVFIOOnRootBus",
                HypervisorConfigBuilder::hotplugVFIOOnRootBus),
            new Spec("pcie_root_port", HypervisorAnnotations::pcieRootPort),
            bool(
                "enable_vhost_user_store",
                "EnableVhostUserStore",
                HypervisorConfigBuilder::enableVhostUserStore),
            new Spec("virtio_fs_extra_args", HypervisorAnnotations::virtioFsExtraArgs)));
    return Spec.table(all.toArray(Spec[]::new));
  }

  private static Spec bool(
      String name, String field, BiConsumer<HypervisorConfigBuilder, Boolean> set) {
    return new Spec(
        name,
        (c, v) -> {
          set.accept(c.hv, Values.bool(v));
          c.touch(field);
        });
  }

  private static Spec uint(
      String name, String field, long min, BiConsumer<HypervisorConfigBuilder, Long> set) {
    return new Spec(
        name,
        (c, v) -> {
          set.accept(c.hv, Values.uint32(v, min, Values.UINT32_MAX));
          c.touch(field);
        });
  }

  private static Spec choice(
      String name,
      String field,
      List<String> allowed,
      BiConsumer<HypervisorConfigBuilder, String> set) {
    return new Spec(
        name,
        (c, v) -> {
          set.accept(c.hv, Values.oneOf(v, allowed));
          c.touch(field);
        });
  }

  /** Appended to {@code KernelParams} (Kata: whitespace-split, split at the first '='). */
  private static void kernelParams(Changes c, String v) {
    List<KernelParam> params = new ArrayList<>(c.hv.build().kernelParams());
    for (KernelParam p : KernelParam.parse(v)) {
      if (p.key().isEmpty()) {
        throw new Refusal("empty kernel parameter name in \"" + p + "\"");
      }
      params.add(p);
    }
    c.hv.kernelParams(params);
    c.touch("KernelParams");
  }

  private static void blockDeviceDriver(Changes c, String v) {
    if (v.equals("virtio-blk-ccw")) {
      throw new Refusal("virtio-blk-ccw is for s390x; on x86 use one of " + BLOCK_DRIVERS);
    }
    c.hv.blockDeviceDriver(Values.oneOf(v, BLOCK_DRIVERS));
    c.touch("BlockDeviceDriver");
  }

  private static void machineType(Changes c, String v) {
    MachineType m =
        MachineType.fromName(v)
            .orElseThrow(
                () -> new Refusal("not a machine type vmm4j runs (" + MachineType.known() + ")"));
    c.hv.hypervisorMachineType(m.qemuName());
    c.touch("HypervisorMachineType");
    if (m == MachineType.MICROVM && !c.given.contains(PREFIX + "disable_image_nvdimm")) {
      // as the TOML key does: microvm has no nvdimm, an image goes on virtio-blk
      c.hv.disableImageNvdimm(true);
      c.touch("DisableImageNvdimm");
    }
  }

  private static void machineAccelerators(Changes c, String v) {
    c.hv.machineAccelerators(Values.options(v, MACHINE_OPTIONS, "machine option"));
    c.touch("MachineAccelerators");
  }

  private static void cpuFeatures(Changes c, String v) {
    c.hv.cpuFeatures(Values.options(v, null, "CPU feature"));
    c.touch("CPUFeatures");
  }

  private static void guestHookPath(Changes c, String v) {
    c.hv.guestHookPath(Values.guestPath(v));
    c.touch("GuestHookPath");
  }

  private static void useVsock(Changes c, String v) {
    boolean vsock = Values.bool(v);
    if (vsock && !c.policy.vhostVsockAvailable()) {
      throw new Refusal("this host has no /dev/vhost-vsock");
    }
    c.hv.useVSock(vsock);
    c.touch("UseVSock");
  }

  private static void pcieRootPort(Changes c, String v) {
    c.hv.pcieRootPort(Values.uint32(v, 0, MAX_PCIE_ROOT_PORTS));
    c.touch("PCIeRootPort");
  }

  private static void virtioFsExtraArgs(Changes c, String v) {
    throw new Refusal(
        "not supported: virtiofsd arguments are host-side options no annotation may set"
            + " (Kata 1.13 defines this annotation but never applies it)");
  }
}
