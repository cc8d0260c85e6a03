package org.vmm4j.persist;

import java.util.List;
import java.util.Objects;
import org.vmm4j.persist.codec.GoField;
import org.vmm4j.persist.codec.GoType;

/**
 * persistapi.HypervisorConfig: the hypervisor configuration saved with the sandbox (Kata 1.13
 * fields).
 *
 * <p>Go type: {@code persistapi.HypervisorConfig}. Built from Go zero values with {@link
 * #builder()}.
 */
public record HypervisorConfig(
    @GoField(value = "NumVCPUs", type = GoType.UINT32) long numVcpus,
    @GoField(value = "DefaultMaxVCPUs", type = GoType.UINT32) long defaultMaxVcpus,
    @GoField(value = "MemorySize", type = GoType.UINT32) long memorySize,
    @GoField(value = "DefaultBridges", type = GoType.UINT32) long defaultBridges,
    @GoField(value = "Msize9p", type = GoType.UINT32) long msize9p,
    @GoField(value = "MemSlots", type = GoType.UINT32) long memSlots,
    @GoField(value = "MemOffset", type = GoType.UINT32) long memOffset,
    @GoField(value = "VirtioFSCacheSize", type = GoType.UINT32) long virtioFsCacheSize,
    @GoField("KernelPath") String kernelPath,
    @GoField("ImagePath") String imagePath,
    @GoField("InitrdPath") String initrdPath,
    @GoField("FirmwarePath") String firmwarePath,
    @GoField("MachineAccelerators") String machineAccelerators,
    @GoField("CPUFeatures") String cpuFeatures,
    @GoField("HypervisorPath") String hypervisorPath,
    @GoField("HypervisorPathList") List<String> hypervisorPathList,
    @GoField("HypervisorCtlPath") String hypervisorCtlPath,
    @GoField("HypervisorCtlPathList") List<String> hypervisorCtlPathList,
    @GoField("JailerPath") String jailerPath,
    @GoField("JailerPathList") List<String> jailerPathList,
    @GoField("BlockDeviceDriver") String blockDeviceDriver,
    @GoField("HypervisorMachineType") String hypervisorMachineType,
    @GoField("MemoryPath") String memoryPath,
    @GoField("DevicesStatePath") String devicesStatePath,
    @GoField("EntropySource") String entropySource,
    @GoField("SharedFS") String sharedFs,
    @GoField("VirtioFSDaemon") String virtioFsDaemon,
    @GoField("VirtioFSDaemonList") List<String> virtioFsDaemonList,
    @GoField("VirtioFSCache") String virtioFsCache,
    @GoField("VirtioFSExtraArgs") List<String> virtioFsExtraArgs,
    @GoField("FileBackedMemRootDir") String fileBackedMemRootDir,
    @GoField("FileBackedMemRootList") List<String> fileBackedMemRootList,
    @GoField("BlockDeviceCacheSet") boolean blockDeviceCacheSet,
    @GoField("BlockDeviceCacheDirect") boolean blockDeviceCacheDirect,
    @GoField("BlockDeviceCacheNoflush") boolean blockDeviceCacheNoflush,
    @GoField("DisableBlockDeviceUse") boolean disableBlockDeviceUse,
    @GoField("EnableIOThreads") boolean enableIoThreads,
    @GoField("Debug") boolean debug,
    @GoField("MemPrealloc") boolean memPrealloc,
    @GoField("HugePages") boolean hugePages,
    @GoField("VirtioMem") boolean virtioMem,
    @GoField("Realtime") boolean realtime,
    @GoField("Mlock") boolean mlock,
    @GoField("DisableNestingChecks") boolean disableNestingChecks,
    @GoField("UseVSock") boolean useVsock,
    @GoField("DisableImageNvdimm") boolean disableImageNvdimm,
    @GoField("HotplugVFIOOnRootBus") boolean hotplugVfioOnRootBus,
    @GoField(value = "PCIeRootPort", type = GoType.UINT32) long pcieRootPort,
    @GoField("BootToBeTemplate") boolean bootToBeTemplate,
    @GoField("BootFromTemplate") boolean bootFromTemplate,
    @GoField("DisableVhostNet") boolean disableVhostNet,
    @GoField("EnableVhostUserStore") boolean enableVhostUserStore,
    @GoField("VhostUserStorePath") String vhostUserStorePath,
    @GoField("VhostUserStorePathList") List<String> vhostUserStorePathList,
    @GoField("GuestHookPath") String guestHookPath,
    @GoField("VMid") String vmId,
    @GoField("EnableAnnotations") List<String> enableAnnotations) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public HypervisorConfig {
    Objects.requireNonNull(kernelPath, "KernelPath");
    Objects.requireNonNull(imagePath, "ImagePath");
    Objects.requireNonNull(initrdPath, "InitrdPath");
    Objects.requireNonNull(firmwarePath, "FirmwarePath");
    Objects.requireNonNull(machineAccelerators, "MachineAccelerators");
    Objects.requireNonNull(cpuFeatures, "CPUFeatures");
    Objects.requireNonNull(hypervisorPath, "HypervisorPath");
    Objects.requireNonNull(hypervisorCtlPath, "HypervisorCtlPath");
    Objects.requireNonNull(jailerPath, "JailerPath");
    Objects.requireNonNull(blockDeviceDriver, "BlockDeviceDriver");
    Objects.requireNonNull(hypervisorMachineType, "HypervisorMachineType");
    Objects.requireNonNull(memoryPath, "MemoryPath");
    Objects.requireNonNull(devicesStatePath, "DevicesStatePath");
    Objects.requireNonNull(entropySource, "EntropySource");
    Objects.requireNonNull(sharedFs, "SharedFS");
    Objects.requireNonNull(virtioFsDaemon, "VirtioFSDaemon");
    Objects.requireNonNull(virtioFsCache, "VirtioFSCache");
    Objects.requireNonNull(fileBackedMemRootDir, "FileBackedMemRootDir");
    Objects.requireNonNull(vhostUserStorePath, "VhostUserStorePath");
    Objects.requireNonNull(guestHookPath, "GuestHookPath");
    Objects.requireNonNull(vmId, "VMid");
    hypervisorPathList = Copies.list(hypervisorPathList);
    hypervisorCtlPathList = Copies.list(hypervisorCtlPathList);
    jailerPathList = Copies.list(jailerPathList);
    virtioFsDaemonList = Copies.list(virtioFsDaemonList);
    virtioFsExtraArgs = Copies.list(virtioFsExtraArgs);
    fileBackedMemRootList = Copies.list(fileBackedMemRootList);
    vhostUserStorePathList = Copies.list(vhostUserStorePathList);
    enableAnnotations = Copies.list(enableAnnotations);
  }

  /**
   * A builder starting from Go zero values (what Go writes for a zero {@code HypervisorConfig}).
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this value. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.copyFrom(this);
    return b;
  }

  /**
   * Builds {@link HypervisorConfig} values; every field starts at its Go zero value. The setters
   * and the state live in package-private {@code HypervisorConfigSetters} and {@code
   * HypervisorConfigDraft}.
   */
  public static final class Builder extends HypervisorConfigSetters {
    private Builder() {}
  }
}
