package org.vmm4j.core.internal.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.vmm4j.core.Accelerator;
import org.vmm4j.core.HypervisorConfig;
import org.vmm4j.core.HypervisorConfigBuilder;
import org.vmm4j.core.KernelParam;

/**
 * The fields of {@link HypervisorConfig} by their Go names: {@link #PERSISTED} are the persisted
 * {@code HypervisorConfig} of {@code persistapi} in the seed's order, {@link #LIVE} the live-only
 * ones. The single table behind the JSON form, and the documented mapping to the persisted type.
 */
public final class ConfigFields {

  /** How a field is encoded in JSON. */
  public enum Kind {
    /** A Go {@code uint32}: an integer in 0..4294967295, a Java {@code long}. */
    UINT32,
    BOOL,
    STRING,
    /** A Go {@code []string}: an array of strings, or null for nil. */
    STRINGS,
    /** Kata's {@code []Param}: an array of {@code {"Key":..,"Value":..}}, or a string. */
    PARAMS,
    /** {@code "auto"}, {@code "kvm"} or {@code "tcg"}. */
    ACCELERATOR
  }

  /**
   * One field.
   *
   * @param name the Go (and JSON) name
   * @param kind its encoding
   * @param get reads it from a config (a {@code Long}, {@code Boolean}, {@code String}, list or
   *     {@link Accelerator})
   * @param set writes a value of that type into a builder
   */
  public record Field(
      String name,
      Kind kind,
      Function<HypervisorConfig, Object> get,
      BiConsumer<HypervisorConfigBuilder, Object> set) {}

  /** The persisted fields, in the order of the seed's {@code HypervisorConfig}. */
  public static final List<Field> PERSISTED =
      List.of(
          u32("NumVCPUs", HypervisorConfig::numVCPUs, HypervisorConfigBuilder::numVCPUs),
          u32(
              "DefaultMaxVCPUs",
              HypervisorConfig::defaultMaxVCPUs,
              HypervisorConfigBuilder::defaultMaxVCPUs),
          u32("MemorySize", HypervisorConfig::memorySize, HypervisorConfigBuilder::memorySize),
          u32(
              "DefaultBridges",
              HypervisorConfig::defaultBridges,
              HypervisorConfigBuilder::defaultBridges),
          u32("Msize9p", HypervisorConfig::msize9p, HypervisorConfigBuilder::msize9p),
          u32("MemSlots", HypervisorConfig::memSlots, HypervisorConfigBuilder::memSlots),
          u32("MemOffset", HypervisorConfig::memOffset, HypervisorConfigBuilder::memOffset),
          u32(
              "VirtioFSCacheSize",
              HypervisorConfig::virtioFSCacheSize,
              HypervisorConfigBuilder::virtioFSCacheSize),
          str("KernelPath", HypervisorConfig::kernelPath, HypervisorConfigBuilder::kernelPath),
          str("ImagePath", HypervisorConfig::imagePath, HypervisorConfigBuilder::imagePath),
          str("InitrdPath", HypervisorConfig::initrdPath, HypervisorConfigBuilder::initrdPath),
          str(
              "FirmwarePath",
              HypervisorConfig::firmwarePath,
              HypervisorConfigBuilder::firmwarePath),
          str(
              "MachineAccelerators",
              HypervisorConfig::machineAccelerators,
              HypervisorConfigBuilder::machineAccelerators),
          str("CPUFeatures", HypervisorConfig::cpuFeatures, HypervisorConfigBuilder::cpuFeatures),
          str(
              "HypervisorPath",
              HypervisorConfig::hypervisorPath,
              HypervisorConfigBuilder::hypervisorPath),
          strings(
              "HypervisorPathList",
              HypervisorConfig::hypervisorPathList,
              HypervisorConfigBuilder::hypervisorPathList),
          str(
              "HypervisorCtlPath",
              HypervisorConfig::hypervisorCtlPath,
              HypervisorConfigBuilder::hypervisorCtlPath),
          strings(
              "HypervisorCtlPathList",
              HypervisorConfig::hypervisorCtlPathList,
              HypervisorConfigBuilder::hypervisorCtlPathList),
          str("JailerPath", HypervisorConfig::jailerPath, HypervisorConfigBuilder::jailerPath),
          strings(
              "JailerPathList",
              HypervisorConfig::jailerPathList,
              HypervisorConfigBuilder::jailerPathList),
          str(
              "BlockDeviceDriver",
              HypervisorConfig::blockDeviceDriver,
              HypervisorConfigBuilder::blockDeviceDriver),
          str(
              "HypervisorMachineType",
              HypervisorConfig::hypervisorMachineType,
              HypervisorConfigBuilder::hypervisorMachineType),
          str("MemoryPath", HypervisorConfig::memoryPath, HypervisorConfigBuilder::memoryPath),
          str(
              "DevicesStatePath",
              HypervisorConfig::devicesStatePath,
              HypervisorConfigBuilder::devicesStatePath),
          str(
              "EntropySource",
              HypervisorConfig::entropySource,
              HypervisorConfigBuilder::entropySource),
          str("SharedFS", HypervisorConfig::sharedFS, HypervisorConfigBuilder::sharedFS),
          str(
              "VirtioFSDaemon",
              HypervisorConfig::virtioFSDaemon,
              HypervisorConfigBuilder::virtioFSDaemon),
          strings(
              "VirtioFSDaemonList",
              HypervisorConfig::virtioFSDaemonList,
              HypervisorConfigBuilder::virtioFSDaemonList),
          str(
              "VirtioFSCache",
              HypervisorConfig::virtioFSCache,
              HypervisorConfigBuilder::virtioFSCache),
          strings(
              "VirtioFSExtraArgs",
              HypervisorConfig::virtioFSExtraArgs,
              HypervisorConfigBuilder::virtioFSExtraArgs),
          str(
              "FileBackedMemRootDir",
              HypervisorConfig::fileBackedMemRootDir,
              HypervisorConfigBuilder::fileBackedMemRootDir),
          strings(
              "FileBackedMemRootList",
              HypervisorConfig::fileBackedMemRootList,
              HypervisorConfigBuilder::fileBackedMemRootList),
          bool(
              "BlockDeviceCacheSet",
              HypervisorConfig::blockDeviceCacheSet,
              HypervisorConfigBuilder::blockDeviceCacheSet),
          bool(
              "BlockDeviceCacheDirect",
              HypervisorConfig::blockDeviceCacheDirect,
              HypervisorConfigBuilder::blockDeviceCacheDirect),
          bool(
              "BlockDeviceCacheNoflush",
              HypervisorConfig::blockDeviceCacheNoflush,
              HypervisorConfigBuilder::blockDeviceCacheNoflush),
          bool(
              "DisableBlockDeviceUse",
              HypervisorConfig::disableBlockDeviceUse,
              HypervisorConfigBuilder::disableBlockDeviceUse),
          bool(
              "EnableIOThreads",
              HypervisorConfig::enableIOThreads,
              HypervisorConfigBuilder::enableIOThreads),
          bool("Debug", HypervisorConfig::debug, HypervisorConfigBuilder::debug),
          bool("MemPrealloc", HypervisorConfig::memPrealloc, HypervisorConfigBuilder::memPrealloc),
          bool("HugePages", HypervisorConfig::hugePages, HypervisorConfigBuilder::hugePages),
          bool("VirtioMem", HypervisorConfig::virtioMem, HypervisorConfigBuilder::virtioMem),
          bool("Realtime", HypervisorConfig::realtime, HypervisorConfigBuilder::realtime),
          bool("Mlock", HypervisorConfig::mlock, HypervisorConfigBuilder::mlock),
          bool(
              "DisableNestingChecks",
              HypervisorConfig::disableNestingChecks,
              HypervisorConfigBuilder::disableNestingChecks),
          bool("UseVSock", HypervisorConfig::useVSock, HypervisorConfigBuilder::useVSock),
          bool(
              "DisableImageNvdimm",
              HypervisorConfig::disableImageNvdimm,
              HypervisorConfigBuilder::disableImageNvdimm),
          bool(
              "HotplugVFIOOnRootBus",
              HypervisorConfig::hotplugVFIOOnRootBus,
              HypervisorConfigBuilder::hotplugVFIOOnRootBus),
          u32(
              "PCIeRootPort",
              HypervisorConfig::pcieRootPort,
              HypervisorConfigBuilder::pcieRootPort),
          bool(
              "BootToBeTemplate",
              HypervisorConfig::bootToBeTemplate,
              HypervisorConfigBuilder::bootToBeTemplate),
          bool(
              "BootFromTemplate",
              HypervisorConfig::bootFromTemplate,
              HypervisorConfigBuilder::bootFromTemplate),
          bool(
              "DisableVhostNet",
              HypervisorConfig::disableVhostNet,
              HypervisorConfigBuilder::disableVhostNet),
          bool(
              "EnableVhostUserStore",
              HypervisorConfig::enableVhostUserStore,
              HypervisorConfigBuilder::enableVhostUserStore),
          str(
              "VhostUserStorePath",
              HypervisorConfig::vhostUserStorePath,
              HypervisorConfigBuilder::vhostUserStorePath),
          strings(
              "VhostUserStorePathList",
              HypervisorConfig::vhostUserStorePathList,
              HypervisorConfigBuilder::vhostUserStorePathList),
          str(
              "GuestHookPath",
              HypervisorConfig::guestHookPath,
              HypervisorConfigBuilder::guestHookPath),
          str("VMid", HypervisorConfig::vmId, HypervisorConfigBuilder::vmId),
          strings(
              "EnableAnnotations",
              HypervisorConfig::enableAnnotations,
              HypervisorConfigBuilder::enableAnnotations));

  /** The fields of the live config only (not persisted). */
  public static final List<Field> LIVE =
      List.of(
          params(
              "KernelParams",
              HypervisorConfig::kernelParams,
              HypervisorConfigBuilder::kernelParams),
          params(
              "HypervisorParams",
              HypervisorConfig::hypervisorParams,
              HypervisorConfigBuilder::hypervisorParams),
          strings("PFlash", HypervisorConfig::pflash, HypervisorConfigBuilder::pflash),
          bool("IOMMU", HypervisorConfig::iommu, HypervisorConfigBuilder::iommu),
          bool(
              "IOMMUPlatform",
              HypervisorConfig::iommuPlatform,
              HypervisorConfigBuilder::iommuPlatform),
          bool(
              "NativePCIeHotplug",
              HypervisorConfig::nativePcieHotplug,
              HypervisorConfigBuilder::nativePcieHotplug),
          accel("Accelerator", HypervisorConfig::accelerator, HypervisorConfigBuilder::accelerator),
          bool(
              "SharedMemory",
              HypervisorConfig::sharedMemory,
              HypervisorConfigBuilder::sharedMemory),
          bool(
              "DisableQemuSeccomp",
              HypervisorConfig::disableQemuSeccomp,
              HypervisorConfigBuilder::disableQemuSeccomp),
          strings(
              "KernelPathList",
              HypervisorConfig::kernelPathList,
              HypervisorConfigBuilder::kernelPathList),
          strings(
              "ImagePathList",
              HypervisorConfig::imagePathList,
              HypervisorConfigBuilder::imagePathList),
          strings(
              "InitrdPathList",
              HypervisorConfig::initrdPathList,
              HypervisorConfigBuilder::initrdPathList),
          strings(
              "FirmwarePathList",
              HypervisorConfig::firmwarePathList,
              HypervisorConfigBuilder::firmwarePathList),
          strings(
              "EntropySourceList",
              HypervisorConfig::entropySourceList,
              HypervisorConfigBuilder::entropySourceList),
          strings(
              "ConfigPathList",
              HypervisorConfig::configPathList,
              HypervisorConfigBuilder::configPathList));

  /** {@link #PERSISTED} then {@link #LIVE}. */
  public static final List<Field> ALL = concat(PERSISTED, LIVE);

  private ConfigFields() {}

  /** The field named {@code name} exactly, or null. */
  public static Field byName(String name) {
    for (Field f : ALL) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    return null;
  }

  private static List<Field> concat(List<Field> a, List<Field> b) {
    List<Field> all = new ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }

  private static Field u32(
      String name,
      Function<HypervisorConfig, Long> get,
      BiConsumer<HypervisorConfigBuilder, Long> set) {
    return new Field(name, Kind.UINT32, get::apply, (b, v) -> set.accept(b, (Long) v));
  }

  private static Field bool(
      String name,
      Function<HypervisorConfig, Boolean> get,
      BiConsumer<HypervisorConfigBuilder, Boolean> set) {
    return new Field(name, Kind.BOOL, get::apply, (b, v) -> set.accept(b, (Boolean) v));
  }

  private static Field str(
      String name,
      Function<HypervisorConfig, String> get,
      BiConsumer<HypervisorConfigBuilder, String> set) {
    return new Field(name, Kind.STRING, get::apply, (b, v) -> set.accept(b, (String) v));
  }

  @SuppressWarnings("unchecked")
  private static Field strings(
      String name,
      Function<HypervisorConfig, List<String>> get,
      BiConsumer<HypervisorConfigBuilder, List<String>> set) {
    return new Field(name, Kind.STRINGS, get::apply, (b, v) -> set.accept(b, (List<String>) v));
  }

  @SuppressWarnings("unchecked")
  private static Field params(
      String name,
      Function<HypervisorConfig, List<KernelParam>> get,
      BiConsumer<HypervisorConfigBuilder, List<KernelParam>> set) {
    return new Field(name, Kind.PARAMS, get::apply, (b, v) -> set.accept(b, (List<KernelParam>) v));
  }

  private static Field accel(
      String name,
      Function<HypervisorConfig, Accelerator> get,
      BiConsumer<HypervisorConfigBuilder, Accelerator> set) {
    return new Field(name, Kind.ACCELERATOR, get::apply, (b, v) -> set.accept(b, (Accelerator) v));
  }
}
