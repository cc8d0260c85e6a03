package org.vmm4j.core.internal.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmm4j.core.HypervisorConfig;
import org.vmm4j.core.HypervisorConfigBuilder;
import org.vmm4j.core.KernelParam;
import org.vmm4j.core.LoadOptions;

/**
 * Kata 1.13's {@code [hypervisor.qemu]} table → {@link HypervisorConfig} (deltas section 2.1), with
 * katautils' transformations: {@code resolve()} for paths (absolute, symlinks resolved, must
 * exist), list normalisation, zero → default, {@code microvm} forcing {@code DisableImageNvdimm},
 * {@code Mlock = !enable_swap}, and the kernel parameters of {@code SetKernelParams} (2.3).
 *
 * <p>Deliberate differences: an absent {@code path} means {@code /usr/bin/qemu-system-x86_64}
 * (Kata's compiled default, qemu-lite, no longer exists); {@code default_vcpus} and {@code
 * default_maxvcpus} are not clamped to the host's CPU count (DESIGN decision 15), {@code
 * default_maxvcpus = 0} keeps the default of {@link ConfigDefaults}.
 */
final class KataTomlHypervisor {
  private static final Logger LOG = LoggerFactory.getLogger(KataTomlHypervisor.class);

  static final String KERNEL = "/usr/share/kata-containers/vmlinuz.container";
  static final String VHOST_USER_STORE = "/var/run/kata-containers/vhost-user/";
  static final List<KernelParam> SYSTEMD_PARAMS =
      KernelParam.parse(
          "systemd.unit=kata-containers.target systemd.mask=systemd-networkd.service"
              + " systemd.mask=systemd-networkd.socket");

  private final TomlTable t;
  private final LoadOptions options;
  private final HypervisorConfigBuilder b = HypervisorConfig.builder();

  private KataTomlHypervisor(TomlTable t, LoadOptions options) {
    this.t = t;
    this.options = options;
  }

  static HypervisorConfig map(TomlTable table, LoadOptions options) {
    KataTomlHypervisor m = new KataTomlHypervisor(table, options);
    HypervisorConfig c = m.mapAll();
    table.warnUnread();
    return c;
  }

  private HypervisorConfig mapAll() {
    assets();
    sizes();
    sharedFs();
    memoryAndBlock();
    flags();
    lists();
    HypervisorConfig c = b.build();
    return c.toBuilder().kernelParams(kernelParams(c)).build();
  }

  private void assets() {
    b.hypervisorPath(resolve("path", t.string("path", ConfigDefaults.QEMU_PATH)));
    b.kernelPath(resolve("kernel", t.string("kernel", KERNEL)));
    String initrd = t.string("initrd", "");
    String image = t.string("image", "");
    String initrdResolved = resolveOptional(initrd);
    String imageResolved = resolveOptional(image);
    if (!initrdResolved.isEmpty() && !imageResolved.isEmpty()) {
      throw t.error(
          "image",
          image,
          "having both an image and an initrd (" + initrd + ") defined is not supported");
    }
    if (initrdResolved.isEmpty() && imageResolved.isEmpty()) {
      throw t.error(
          "image",
          image,
          "either initrd or image must be set to a valid path (initrd: "
              + initrd
              + ") (image: "
              + image
              + ")");
    }
    b.initrdPath(initrdResolved).imagePath(imageResolved);
    String firmware = t.string("firmware", "");
    b.firmwarePath(firmware.isEmpty() ? "" : resolve("firmware", firmware));
    String machine = t.string("machine_type", "pc");
    b.hypervisorMachineType(machine);
    b.disableImageNvdimm(t.bool("disable_image_nvdimm", false) || machine.equals("microvm"));
    b.machineAccelerators(normalizeList(t.string("machine_accelerators", "")));
    b.cpuFeatures(normalizeList(t.string("cpu_features", "")));
    b.entropySource(t.string("entropy_source", "/dev/urandom"));
    b.guestHookPath(t.string("guest_hook_path", ""));
    List<String> pflash = t.strings("pflashes");
    pflash.forEach(p -> resolve("pflashes", p));
    b.pflash(pflash);
  }

  private void sizes() {
    long vcpus = t.int32("default_vcpus", 1);
    if (vcpus < 0) {
      LOG.warn(
          "{} = {}: using the host's {} CPUs", t.key("default_vcpus"), vcpus, options.hostCpus());
      vcpus = options.hostCpus();
    }
    b.numVCPUs(vcpus == 0 ? 1 : vcpus);
    b.defaultMaxVCPUs(t.uint32("default_maxvcpus", 0));
    long bridges = t.uint32("default_bridges", 1);
    if (bridges > ConfigValidator.MAX_BRIDGES) {
      LOG.warn("{} = {}: using the maximum {}", t.key("default_bridges"), bridges, 5);
      bridges = ConfigValidator.MAX_BRIDGES;
    }
    b.defaultBridges(bridges == 0 ? 1 : bridges);
    long memory = t.uint32("default_memory", ConfigDefaults.MEMORY_MIB);
    b.memorySize(memory == 0 ? ConfigDefaults.MEMORY_MIB : memory);
    long slots = t.uint32("memory_slots", ConfigDefaults.MEM_SLOTS);
    b.memSlots(slots == 0 ? ConfigDefaults.MEM_SLOTS : slots);
    b.memOffset(t.uint32("memory_offset", 0));
    long msize = t.uint32("msize_9p", ConfigDefaults.MSIZE_9P);
    b.msize9p(msize == 0 ? ConfigDefaults.MSIZE_9P : msize);
    b.pcieRootPort(t.uint32("pcie_root_port", 0));
  }

  private void sharedFs() {
    String fs = t.string("shared_fs", HypervisorConfig.VIRTIO_9P);
    if (!fs.equals(HypervisorConfig.VIRTIO_9P) && !fs.equals(HypervisorConfig.VIRTIO_FS)) {
      throw t.error(
          "shared_fs", fs, "invalid hypervisor shared file system (virtio-9p, virtio-fs)");
    }
    String daemon = t.string("virtio_fs_daemon", "");
    if (fs.equals(HypervisorConfig.VIRTIO_FS) && daemon.isEmpty()) {
      throw t.error("virtio_fs_daemon", "", "cannot enable virtio-fs without daemon path");
    }
    b.sharedFS(fs).virtioFSDaemon(daemon);
    b.virtioFSCacheSize(t.uint32("virtio_fs_cache_size", 0));
    b.virtioFSExtraArgs(t.strings("virtio_fs_extra_args"));
    b.virtioFSCache(t.string("virtio_fs_cache", "none"));
  }

  private void memoryAndBlock() {
    String driver = t.string("block_device_driver", HypervisorConfig.VIRTIO_SCSI);
    List<String> drivers = List.of("virtio-scsi", "virtio-blk", "virtio-mmio", "nvdimm");
    if (!drivers.contains(driver)) {
      throw t.error("block_device_driver", driver, "invalid hypervisor block storage driver");
    }
    b.blockDeviceDriver(driver);
    b.blockDeviceCacheSet(t.bool("block_device_cache_set", false));
    b.blockDeviceCacheDirect(t.bool("block_device_cache_direct", false));
    b.blockDeviceCacheNoflush(t.bool("block_device_cache_noflush", false));
    b.memPrealloc(t.bool("enable_mem_prealloc", false));
    b.hugePages(t.bool("enable_hugepages", false));
    b.virtioMem(t.bool("enable_virtio_mem", false));
    b.mlock(!t.bool("enable_swap", false));
    b.fileBackedMemRootDir(t.string("file_mem_backend", ""));
    b.enableVhostUserStore(t.bool("enable_vhost_user_store", false));
    b.vhostUserStorePath(t.string("vhost_user_store_path", VHOST_USER_STORE));
  }

  private void flags() {
    b.disableBlockDeviceUse(t.bool("disable_block_device_use", false));
    b.enableIOThreads(t.bool("enable_iothreads", false));
    b.iommu(t.bool("enable_iommu", false));
    b.iommuPlatform(t.bool("enable_iommu_platform", false));
    b.debug(t.bool("enable_debug", false));
    b.disableNestingChecks(t.bool("disable_nesting_checks", false));
    b.hotplugVFIOOnRootBus(t.bool("hotplug_vfio_on_root_bus", false));
    b.disableVhostNet(t.bool("disable_vhost_net", false));
    boolean vsock = t.bool("use_vsock", false);
    if (vsock && !options.vhostVsockAvailable()) {
      LOG.warn(
          "{} = true but {} does not exist: the agent uses the serial channel",
          t.key("use_vsock"),
          LoadOptions.VHOST_VSOCK);
      vsock = false;
    }
    b.useVSock(vsock);
    // Decoded by katautils but unused for QEMU: JailerPath, HypervisorCtlPath and their lists.
    List.of("jailer_path", "valid_jailer_paths", "ctlpath", "valid_ctlpaths").forEach(t::has);
  }

  private void lists() {
    b.enableAnnotations(t.strings("enable_annotations"));
    b.hypervisorPathList(t.strings("valid_hypervisor_paths"));
    b.virtioFSDaemonList(t.strings("valid_virtio_fs_daemon_paths"));
    b.vhostUserStorePathList(t.strings("valid_vhost_user_store_paths"));
    b.fileBackedMemRootList(t.strings("valid_file_mem_backends"));
    // vmm4j's own allowlists (annotations.Annotations): empty unless the file names paths
    b.kernelPathList(t.strings("valid_kernel_paths"));
    b.imagePathList(t.strings("valid_image_paths"));
    b.initrdPathList(t.strings("valid_initrd_paths"));
    b.firmwarePathList(t.strings("valid_firmware_paths"));
    b.entropySourceList(t.strings("valid_entropy_sources"));
    b.configPathList(t.strings("valid_config_paths"));
  }

  /** {@code SetKernelParams} in shim-v2 mode (no agent parameters), then {@code fips=1}. */
  private List<KernelParam> kernelParams(HypervisorConfig c) {
    List<KernelParam> params = new ArrayList<>();
    if (!c.imagePath().isEmpty()) {
      params.addAll(SYSTEMD_PARAMS);
    }
    if (c.blockDeviceDriver().equals(HypervisorConfig.VIRTIO_SCSI)) {
      params.add(new KernelParam("scsi_mod.scan", "none"));
    }
    String user = t.string("kernel_params", "");
    for (KernelParam p : KernelParam.parse(user)) {
      if (p.key().isEmpty()) {
        throw t.error("kernel_params", user, "empty kernel parameter " + p);
      }
      params.add(p);
    }
    if (options.fipsEnabled()) {
      params.add(new KernelParam("fips", "1"));
    }
    return params;
  }

  /** katautils' {@code resolve}: absolute, symlinks resolved, must exist. */
  private String resolve(String key, String path) {
    Path abs = Path.of(path).toAbsolutePath();
    try {
      return abs.toRealPath().toString();
    } catch (IOException e) {
      throw t.error(key, path, "file " + abs + " does not exist");
    }
  }

  private static String resolveOptional(String path) {
    if (path.isEmpty()) {
      return "";
    }
    try {
      return Path.of(path).toAbsolutePath().toRealPath().toString();
    } catch (IOException e) {
      return "";
    }
  }

  /** Split on commas, trim, drop empty items, re-join with commas. */
  private static String normalizeList(String s) {
    return Arrays.stream(s.split(","))
        .map(String::trim)
        .filter(x -> !x.isEmpty())
        .collect(Collectors.joining(","));
  }
}
