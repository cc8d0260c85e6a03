package org.vmm4j.core;

import java.util.List;
import java.util.Objects;
import org.vmm4j.core.internal.config.ConfigDefaults;
import org.vmm4j.core.internal.config.ConfigValidator;
import org.vmm4j.core.internal.config.PersistedConfig;

/**
 * The live hypervisor configuration of one sandbox: Kata 1.13's {@code HypervisorConfig} for QEMU
 * on amd64, immutable. Build one with {@link #builder()}, load one with {@link ConfigLoader}, then
 * call {@link #validate()} (defaults, then every rule) before handing it to {@link
 * QemuCommandLine#build}.
 *
 * <p><b>Mapping to the persisted schema.</b> The first 57 components are the persisted {@code
 * HypervisorConfig} of {@code persistapi} field for field, in the seed's order; the Java name is
 * the Go name in lower camel case ({@code NumVCPUs} is {@link #numVCPUs()}, {@code VMid} is {@link
 * #vmId()}, {@code PCIeRootPort} is {@link #pcieRootPort()}). Every Go integer is a {@code long}
 * (decision 15); a Go string is a non-null {@code String} ({@code ""} is Go's zero value); a Go
 * {@code []string} is a non-null immutable list (an empty list stands for Go's {@code nil}). The
 * last 15 components exist only in the live config and are not persisted: {@link #kernelParams()},
 * {@link #hypervisorParams()}, {@link #pflash()}, {@link #iommu()} and {@link #iommuPlatform()}
 * (Kata's in-memory fields of those names) and vmm4j's own {@link #nativePcieHotplug()}, {@link
 * #accelerator()}, {@link #sharedMemory()}, {@link #disableQemuSeccomp()} and the annotation
 * allowlists Kata lacks ({@link #kernelPathList()} ... {@link #configPathList()}; see {@link
 * org.vmm4j.core.internal.annotations.Annotations}). The JSON form ({@link ConfigLoader}) uses the
 * Go names for all of them.
 *
 * @param numVCPUs {@code NumVCPUs}: vCPUs at boot ({@code -smp N}); 0 means 1
 * @param defaultMaxVCPUs {@code DefaultMaxVCPUs}: {@code maxcpus}, {@code nr_cpus}; 0 means the
 *     host's CPU count, at most 240
 * @param memorySize {@code MemorySize}: guest RAM in MiB; 0 means 2048; at least 128
 * @param defaultBridges {@code DefaultBridges}: {@code pci-bridge}s for hotplug; 0 means 1
 * @param msize9p {@code Msize9p}: 9p msize (a guest mount option); 0 means 8192 unless virtio-fs
 * @param memSlots {@code MemSlots}: {@code -m slots=}; 0 means 10
 * @param memOffset {@code MemOffset}: MiB added to {@code maxmem}
 * @param virtioFSCacheSize {@code VirtioFSCacheSize}: DAX window in MiB; must be 0 on QEMU 7.2
 * @param kernelPath {@code KernelPath}: {@code -kernel}; required
 * @param imagePath {@code ImagePath}: rootfs image (nvdimm or virtio-blk); exclusive with initrd
 * @param initrdPath {@code InitrdPath}: {@code -initrd}; exclusive with the image
 * @param firmwarePath {@code FirmwarePath}: {@code -bios}
 * @param machineAccelerators {@code MachineAccelerators}: appended to the {@code -machine} options
 * @param cpuFeatures {@code CPUFeatures}: appended to {@code -cpu host} (KVM only)
 * @param hypervisorPath {@code HypervisorPath}: the QEMU binary; "" means {@link
 *     ConfigDefaults#QEMU_PATH}
 * @param hypervisorPathList {@code HypervisorPathList}: annotation allowlist
 * @param hypervisorCtlPath {@code HypervisorCtlPath}: unused by QEMU
 * @param hypervisorCtlPathList {@code HypervisorCtlPathList}: annotation allowlist
 * @param jailerPath {@code JailerPath}: unused by QEMU
 * @param jailerPathList {@code JailerPathList}: annotation allowlist
 * @param blockDeviceDriver {@code BlockDeviceDriver}: "" means virtio-scsi (adds {@code scsi0})
 * @param hypervisorMachineType {@code HypervisorMachineType}: pc, q35 or microvm; "" means pc
 * @param memoryPath {@code MemoryPath}: VM template memory file
 * @param devicesStatePath {@code DevicesStatePath}: VM template device state
 * @param entropySource {@code EntropySource}: {@code rng-random filename=}
 * @param sharedFS {@code SharedFS}: virtio-9p ("" too) or virtio-fs
 * @param virtioFSDaemon {@code VirtioFSDaemon}: virtiofsd binary (virtio-fs)
 * @param virtioFSDaemonList {@code VirtioFSDaemonList}: annotation allowlist
 * @param virtioFSCache {@code VirtioFSCache}: virtiofsd {@code -o cache=}
 * @param virtioFSExtraArgs {@code VirtioFSExtraArgs}: extra virtiofsd arguments
 * @param fileBackedMemRootDir {@code FileBackedMemRootDir}: shared file-backed guest RAM root
 * @param fileBackedMemRootList {@code FileBackedMemRootList}: annotation allowlist
 * @param blockDeviceCacheSet {@code BlockDeviceCacheSet}: hotplug cache options
 * @param blockDeviceCacheDirect {@code BlockDeviceCacheDirect}: {@code cache.direct}
 * @param blockDeviceCacheNoflush {@code BlockDeviceCacheNoflush}: {@code cache.no-flush}
 * @param disableBlockDeviceUse {@code DisableBlockDeviceUse}: containers use no block devices
 * @param enableIOThreads {@code EnableIOThreads}: an iothread for the SCSI controller
 * @param debug {@code Debug}: debug kernel parameters, {@code -D qemu.log}, virtiofsd {@code -d}
 * @param memPrealloc {@code MemPrealloc}: {@code prealloc=on}
 * @param hugePages {@code HugePages}: guest RAM from {@code /dev/hugepages}
 * @param virtioMem {@code VirtioMem}: virtio-mem for memory hotplug (added after boot)
 * @param realtime {@code Realtime}: with {@link #mlock()}, {@code -overcommit mem-lock=}
 * @param mlock {@code Mlock}: lock guest memory (see {@link #realtime()})
 * @param disableNestingChecks {@code DisableNestingChecks}: no {@code disable-modern=true} nested
 * @param useVSock {@code UseVSock}: the agent on vhost-vsock rather than {@code kata.sock}
 * @param disableImageNvdimm {@code DisableImageNvdimm}: the image on virtio-blk, not nvdimm
 * @param hotplugVFIOOnRootBus {@code HotplugVFIOOnRootBus}: VFIO placement
 * @param pcieRootPort {@code PCIeRootPort}: PCIe root ports (q35 only)
 * @param bootToBeTemplate {@code BootToBeTemplate}: this VM becomes a template
 * @param bootFromTemplate {@code BootFromTemplate}: this VM starts from a template
 * @param disableVhostNet {@code DisableVhostNet}: no {@code vhost=on} on tap netdevs
 * @param enableVhostUserStore {@code EnableVhostUserStore}: vhost-user blk/scsi devices
 * @param vhostUserStorePath {@code VhostUserStorePath}: the vhost-user store directory
 * @param vhostUserStorePathList {@code VhostUserStorePathList}: annotation allowlist
 * @param guestHookPath {@code GuestHookPath}: agent hooks inside the guest
 * @param vmId {@code VMid}: the factory VM id
 * @param enableAnnotations {@code EnableAnnotations}: annotation names allowed (anchored regexps)
 * @param kernelParams live {@code KernelParams}: appended last to {@code -append}
 * @param hypervisorParams live {@code HypervisorParams}: kept, unused by QEMU (as in Kata)
 * @param pflash live {@code PFlash}: one {@code -pflash} each
 * @param iommu live {@code IOMMU}: {@code intel-iommu} (q35 only)
 * @param iommuPlatform live {@code IOMMUPlatform}: CCW only, no effect on amd64
 * @param nativePcieHotplug vmm4j {@code NativePCIeHotplug}: native PCIe hotplug on q35 root ports
 * @param accelerator vmm4j {@code Accelerator}: auto (default), kvm or tcg
 * @param sharedMemory vmm4j {@code SharedMemory}: share guest RAM (a memfd when neither hugepages
 *     nor a file root is set), e.g. for vhost-user
 * @param disableQemuSeccomp vmm4j {@code DisableQemuSeccomp}: no {@code -sandbox on,...}
 * @param kernelPathList vmm4j {@code KernelPathList} ({@code valid_kernel_paths}): annotation
 *     allowlist of {@code kernel}
 * @param imagePathList vmm4j {@code ImagePathList} ({@code valid_image_paths}): annotation
 *     allowlist of {@code image}
 * @param initrdPathList vmm4j {@code InitrdPathList} ({@code valid_initrd_paths}): annotation
 *     allowlist of {@code initrd}
 * @param firmwarePathList vmm4j {@code FirmwarePathList} ({@code valid_firmware_paths}): annotation
 *     allowlist of {@code firmware}
 * @param entropySourceList vmm4j {@code EntropySourceList} ({@code valid_entropy_sources}):
 *     annotation allowlist of {@code entropy_source}
 * @param configPathList vmm4j {@code ConfigPathList} ({@code valid_config_paths}): annotation
 *     allowlist of {@code io.katacontainers.config_path}
 */
public record HypervisorConfig(
    long numVCPUs,
    long defaultMaxVCPUs,
    long memorySize,
    long defaultBridges,
    long msize9p,
    long memSlots,
    long memOffset,
    long virtioFSCacheSize,
    String kernelPath,
    String imagePath,
    String initrdPath,
    String firmwarePath,
    String machineAccelerators,
    String cpuFeatures,
    String hypervisorPath,
    List<String> hypervisorPathList,
    String hypervisorCtlPath,
    List<String> hypervisorCtlPathList,
    String jailerPath,
    List<String> jailerPathList,
    String blockDeviceDriver,
    String hypervisorMachineType,
    String memoryPath,
    String devicesStatePath,
    String entropySource,
    String sharedFS,
    String virtioFSDaemon,
    List<String> virtioFSDaemonList,
    String virtioFSCache,
    List<String> virtioFSExtraArgs,
    String fileBackedMemRootDir,
    List<String> fileBackedMemRootList,
    boolean blockDeviceCacheSet,
    boolean blockDeviceCacheDirect,
    boolean blockDeviceCacheNoflush,
    boolean disableBlockDeviceUse,
    boolean enableIOThreads,
    boolean debug,
    boolean memPrealloc,
    boolean hugePages,
    boolean virtioMem,
    boolean realtime,
    boolean mlock,
    boolean disableNestingChecks,
    boolean useVSock,
    boolean disableImageNvdimm,
    boolean hotplugVFIOOnRootBus,
    long pcieRootPort,
    boolean bootToBeTemplate,
    boolean bootFromTemplate,
    boolean disableVhostNet,
    boolean enableVhostUserStore,
    String vhostUserStorePath,
    List<String> vhostUserStorePathList,
    String guestHookPath,
    String vmId,
    List<String> enableAnnotations,
    List<KernelParam> kernelParams,
    List<KernelParam> hypervisorParams,
    List<String> pflash,
    boolean iommu,
    boolean iommuPlatform,
    boolean nativePcieHotplug,
    Accelerator accelerator,
    boolean sharedMemory,
    boolean disableQemuSeccomp,
    List<String> kernelPathList,
    List<String> imagePathList,
    List<String> initrdPathList,
    List<String> firmwarePathList,
    List<String> entropySourceList,
    List<String> configPathList) {

  /** Shared-FS names as Kata spells them. */
  public static final String VIRTIO_9P = "virtio-9p";

  public static final String VIRTIO_FS = "virtio-fs";

  /** Block device drivers as Kata spells them. */
  public static final String VIRTIO_SCSI = "virtio-scsi";

  public static final String VIRTIO_BLK = "virtio-blk";

  /** Nulls become Go zero values; lists are copied and made immutable. */
  public HypervisorConfig {
    kernelPath = str(kernelPath);
    imagePath = str(imagePath);
    initrdPath = str(initrdPath);
    firmwarePath = str(firmwarePath);
    machineAccelerators = str(machineAccelerators);
    cpuFeatures = str(cpuFeatures);
    hypervisorPath = str(hypervisorPath);
    hypervisorPathList = list(hypervisorPathList);
    hypervisorCtlPath = str(hypervisorCtlPath);
    hypervisorCtlPathList = list(hypervisorCtlPathList);
    jailerPath = str(jailerPath);
    jailerPathList = list(jailerPathList);
    blockDeviceDriver = str(blockDeviceDriver);
    hypervisorMachineType = str(hypervisorMachineType);
    memoryPath = str(memoryPath);
    devicesStatePath = str(devicesStatePath);
    entropySource = str(entropySource);
    sharedFS = str(sharedFS);
    virtioFSDaemon = str(virtioFSDaemon);
    virtioFSDaemonList = list(virtioFSDaemonList);
    virtioFSCache = str(virtioFSCache);
    virtioFSExtraArgs = list(virtioFSExtraArgs);
    fileBackedMemRootDir = str(fileBackedMemRootDir);
    fileBackedMemRootList = list(fileBackedMemRootList);
    vhostUserStorePath = str(vhostUserStorePath);
    vhostUserStorePathList = list(vhostUserStorePathList);
    guestHookPath = str(guestHookPath);
    vmId = str(vmId);
    enableAnnotations = list(enableAnnotations);
    kernelParams = list(kernelParams);
    hypervisorParams = list(hypervisorParams);
    pflash = list(pflash);
    accelerator = Objects.requireNonNullElse(accelerator, Accelerator.AUTO);
    kernelPathList = list(kernelPathList);
    imagePathList = list(imagePathList);
    initrdPathList = list(initrdPathList);
    firmwarePathList = list(firmwarePathList);
    entropySourceList = list(entropySourceList);
    configPathList = list(configPathList);
  }

  /** An empty builder: every field at its Go zero value. */
  public static HypervisorConfigBuilder builder() {
    return new HypervisorConfigBuilder();
  }

  /** A builder holding this config's values. */
  public HypervisorConfigBuilder toBuilder() {
    return new HypervisorConfigBuilder(this);
  }

  /**
   * Kata's {@code valid()} defaults (inventory 1.2, DESIGN decision 15) with the host's CPU count
   * for {@code DefaultMaxVCPUs} 0: see {@link ConfigDefaults}. No check is made.
   */
  public HypervisorConfig withDefaults(int hostCpus) {
    return ConfigDefaults.apply(this, hostCpus);
  }

  /** {@link #withDefaults(int)} with this JVM's available processors. */
  public HypervisorConfig withDefaults() {
    return withDefaults(Runtime.getRuntime().availableProcessors());
  }

  /**
   * Applies the defaults, then checks every rule (required and exclusive paths, files that must
   * exist, limits, machine type, templating, shared memory for vhost-user, ...).
   *
   * @return the config with defaults applied
   * @throws ConfigException naming the first field at fault and its value
   */
  public HypervisorConfig validate(int hostCpus) {
    HypervisorConfig withDefaults = withDefaults(hostCpus);
    ConfigValidator.check(withDefaults);
    return withDefaults;
  }

  /** {@link #validate(int)} with this JVM's available processors. */
  public HypervisorConfig validate() {
    return validate(Runtime.getRuntime().availableProcessors());
  }

  /**
   * The persisted {@code HypervisorConfig} ({@code SandboxConfig.HypervisorConfig} of {@code
   * persist.json}): the first 57 fields; an empty list is written as Go's nil ({@code null}).
   */
  public org.vmm4j.persist.HypervisorConfig toPersisted() {
    return PersistedConfig.toPersisted(this);
  }

  /**
   * The live config of a persisted one; the live-only fields take their zero values ({@code
   * Accelerator} auto, no kernel parameters).
   */
  public static HypervisorConfig fromPersisted(org.vmm4j.persist.HypervisorConfig persisted) {
    return PersistedConfig.fromPersisted(persisted);
  }

  /** The machine type; {@link MachineType#PC} for "" (Kata's default). */
  public MachineType machineType() {
    String name = hypervisorMachineType.isEmpty() ? "pc" : hypervisorMachineType;
    return MachineType.fromName(name)
        .orElseThrow(
            () ->
                ConfigException.invalid(
                    "HypervisorMachineType",
                    hypervisorMachineType,
                    "is not a known machine type (" + MachineType.known() + ")"));
  }

  /** Whether the shared file system is virtio-fs (anything else is virtio-9p). */
  public boolean usesVirtioFs() {
    return VIRTIO_FS.equals(sharedFS);
  }

  /** Whether the rootfs image is a nvdimm ({@code ImagePath} set, nvdimm not disabled). */
  public boolean imageOnNvdimm() {
    return !imagePath.isEmpty() && !disableImageNvdimm;
  }

  /** Whether this VM is created for, or from, a VM template. */
  public boolean templating() {
    return bootToBeTemplate || bootFromTemplate;
  }

  private static String str(String s) {
    return s == null ? "" : s;
  }

  private static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : List.copyOf(l);
  }
}
