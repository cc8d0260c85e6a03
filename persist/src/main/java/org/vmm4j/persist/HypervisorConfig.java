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
    b.numVcpus = numVcpus;
    b.defaultMaxVcpus = defaultMaxVcpus;
    b.memorySize = memorySize;
    b.defaultBridges = defaultBridges;
    b.msize9p = msize9p;
    b.memSlots = memSlots;
    b.memOffset = memOffset;
    b.virtioFsCacheSize = virtioFsCacheSize;
    b.kernelPath = kernelPath;
    b.imagePath = imagePath;
    b.initrdPath = initrdPath;
    b.firmwarePath = firmwarePath;
    b.machineAccelerators = machineAccelerators;
    b.cpuFeatures = cpuFeatures;
    b.hypervisorPath = hypervisorPath;
    b.hypervisorPathList = hypervisorPathList;
    b.hypervisorCtlPath = hypervisorCtlPath;
    b.hypervisorCtlPathList = hypervisorCtlPathList;
    b.jailerPath = jailerPath;
    b.jailerPathList = jailerPathList;
    b.blockDeviceDriver = blockDeviceDriver;
    b.hypervisorMachineType = hypervisorMachineType;
    b.memoryPath = memoryPath;
    b.devicesStatePath = devicesStatePath;
    b.entropySource = entropySource;
    b.sharedFs = sharedFs;
    b.virtioFsDaemon = virtioFsDaemon;
    b.virtioFsDaemonList = virtioFsDaemonList;
    b.virtioFsCache = virtioFsCache;
    b.virtioFsExtraArgs = virtioFsExtraArgs;
    b.fileBackedMemRootDir = fileBackedMemRootDir;
    b.fileBackedMemRootList = fileBackedMemRootList;
    b.blockDeviceCacheSet = blockDeviceCacheSet;
    b.blockDeviceCacheDirect = blockDeviceCacheDirect;
    b.blockDeviceCacheNoflush = blockDeviceCacheNoflush;
    b.disableBlockDeviceUse = disableBlockDeviceUse;
    b.enableIoThreads = enableIoThreads;
    b.debug = debug;
    b.memPrealloc = memPrealloc;
    b.hugePages = hugePages;
    b.virtioMem = virtioMem;
    b.realtime = realtime;
    b.mlock = mlock;
    b.disableNestingChecks = disableNestingChecks;
    b.useVsock = useVsock;
    b.disableImageNvdimm = disableImageNvdimm;
    b.hotplugVfioOnRootBus = hotplugVfioOnRootBus;
    b.pcieRootPort = pcieRootPort;
    b.bootToBeTemplate = bootToBeTemplate;
    b.bootFromTemplate = bootFromTemplate;
    b.disableVhostNet = disableVhostNet;
    b.enableVhostUserStore = enableVhostUserStore;
    b.vhostUserStorePath = vhostUserStorePath;
    b.vhostUserStorePathList = vhostUserStorePathList;
    b.guestHookPath = guestHookPath;
    b.vmId = vmId;
    b.enableAnnotations = enableAnnotations;
    return b;
  }

  /** Builds {@link HypervisorConfig} values; every field starts at its Go zero value. */
  public static final class Builder {
    private long numVcpus;
    private long defaultMaxVcpus;
    private long memorySize;
    private long defaultBridges;
    private long msize9p;
    private long memSlots;
    private long memOffset;
    private long virtioFsCacheSize;
    private String kernelPath = "";
    private String imagePath = "";
    private String initrdPath = "";
    private String firmwarePath = "";
    private String machineAccelerators = "";
    private String cpuFeatures = "";
    private String hypervisorPath = "";
    private List<String> hypervisorPathList;
    private String hypervisorCtlPath = "";
    private List<String> hypervisorCtlPathList;
    private String jailerPath = "";
    private List<String> jailerPathList;
    private String blockDeviceDriver = "";
    private String hypervisorMachineType = "";
    private String memoryPath = "";
    private String devicesStatePath = "";
    private String entropySource = "";
    private String sharedFs = "";
    private String virtioFsDaemon = "";
    private List<String> virtioFsDaemonList;
    private String virtioFsCache = "";
    private List<String> virtioFsExtraArgs;
    private String fileBackedMemRootDir = "";
    private List<String> fileBackedMemRootList;
    private boolean blockDeviceCacheSet;
    private boolean blockDeviceCacheDirect;
    private boolean blockDeviceCacheNoflush;
    private boolean disableBlockDeviceUse;
    private boolean enableIoThreads;
    private boolean debug;
    private boolean memPrealloc;
    private boolean hugePages;
    private boolean virtioMem;
    private boolean realtime;
    private boolean mlock;
    private boolean disableNestingChecks;
    private boolean useVsock;
    private boolean disableImageNvdimm;
    private boolean hotplugVfioOnRootBus;
    private long pcieRootPort;
    private boolean bootToBeTemplate;
    private boolean bootFromTemplate;
    private boolean disableVhostNet;
    private boolean enableVhostUserStore;
    private String vhostUserStorePath = "";
    private List<String> vhostUserStorePathList;
    private String guestHookPath = "";
    private String vmId = "";
    private List<String> enableAnnotations;

    private Builder() {}

    public Builder numVcpus(long numVcpus) {
      this.numVcpus = numVcpus;
      return this;
    }

    public Builder defaultMaxVcpus(long defaultMaxVcpus) {
      this.defaultMaxVcpus = defaultMaxVcpus;
      return this;
    }

    public Builder memorySize(long memorySize) {
      this.memorySize = memorySize;
      return this;
    }

    public Builder defaultBridges(long defaultBridges) {
      this.defaultBridges = defaultBridges;
      return this;
    }

    public Builder msize9p(long msize9p) {
      this.msize9p = msize9p;
      return this;
    }

    public Builder memSlots(long memSlots) {
      this.memSlots = memSlots;
      return this;
    }

    public Builder memOffset(long memOffset) {
      this.memOffset = memOffset;
      return this;
    }

    public Builder virtioFsCacheSize(long virtioFsCacheSize) {
      this.virtioFsCacheSize = virtioFsCacheSize;
      return this;
    }

    public Builder kernelPath(String kernelPath) {
      this.kernelPath = kernelPath;
      return this;
    }

    public Builder imagePath(String imagePath) {
      this.imagePath = imagePath;
      return this;
    }

    public Builder initrdPath(String initrdPath) {
      this.initrdPath = initrdPath;
      return this;
    }

    public Builder firmwarePath(String firmwarePath) {
      this.firmwarePath = firmwarePath;
      return this;
    }

    public Builder machineAccelerators(String machineAccelerators) {
      this.machineAccelerators = machineAccelerators;
      return this;
    }

    public Builder cpuFeatures(String cpuFeatures) {
      this.cpuFeatures = cpuFeatures;
      return this;
    }

    public Builder hypervisorPath(String hypervisorPath) {
      this.hypervisorPath = hypervisorPath;
      return this;
    }

    public Builder hypervisorPathList(List<String> hypervisorPathList) {
      this.hypervisorPathList = hypervisorPathList;
      return this;
    }

    public Builder hypervisorCtlPath(String hypervisorCtlPath) {
      this.hypervisorCtlPath = hypervisorCtlPath;
      return this;
    }

    public Builder hypervisorCtlPathList(List<String> hypervisorCtlPathList) {
      this.hypervisorCtlPathList = hypervisorCtlPathList;
      return this;
    }

    public Builder jailerPath(String jailerPath) {
      this.jailerPath = jailerPath;
      return this;
    }

    public Builder jailerPathList(List<String> jailerPathList) {
      this.jailerPathList = jailerPathList;
      return this;
    }

    public Builder blockDeviceDriver(String blockDeviceDriver) {
      this.blockDeviceDriver = blockDeviceDriver;
      return this;
    }

    public Builder hypervisorMachineType(String hypervisorMachineType) {
      this.hypervisorMachineType = hypervisorMachineType;
      return this;
    }

    public Builder memoryPath(String memoryPath) {
      this.memoryPath = memoryPath;
      return this;
    }

    public Builder devicesStatePath(String devicesStatePath) {
      this.devicesStatePath = devicesStatePath;
      return this;
    }

    public Builder entropySource(String entropySource) {
      this.entropySource = entropySource;
      return this;
    }

    public Builder sharedFs(String sharedFs) {
      this.sharedFs = sharedFs;
      return this;
    }

    public Builder virtioFsDaemon(String virtioFsDaemon) {
      this.virtioFsDaemon = virtioFsDaemon;
      return this;
    }

    public Builder virtioFsDaemonList(List<String> virtioFsDaemonList) {
      this.virtioFsDaemonList = virtioFsDaemonList;
      return this;
    }

    public Builder virtioFsCache(String virtioFsCache) {
      this.virtioFsCache = virtioFsCache;
      return this;
    }

    public Builder virtioFsExtraArgs(List<String> virtioFsExtraArgs) {
      this.virtioFsExtraArgs = virtioFsExtraArgs;
      return this;
    }

    public Builder fileBackedMemRootDir(String fileBackedMemRootDir) {
      this.fileBackedMemRootDir = fileBackedMemRootDir;
      return this;
    }

    public Builder fileBackedMemRootList(List<String> fileBackedMemRootList) {
      this.fileBackedMemRootList = fileBackedMemRootList;
      return this;
    }

    public Builder blockDeviceCacheSet(boolean blockDeviceCacheSet) {
      this.blockDeviceCacheSet = blockDeviceCacheSet;
      return this;
    }

    public Builder blockDeviceCacheDirect(boolean blockDeviceCacheDirect) {
      this.blockDeviceCacheDirect = blockDeviceCacheDirect;
      return this;
    }

    public Builder blockDeviceCacheNoflush(boolean blockDeviceCacheNoflush) {
      this.blockDeviceCacheNoflush = blockDeviceCacheNoflush;
      return this;
    }

    public Builder disableBlockDeviceUse(boolean disableBlockDeviceUse) {
      this.disableBlockDeviceUse = disableBlockDeviceUse;
      return this;
    }

    public Builder enableIoThreads(boolean enableIoThreads) {
      this.enableIoThreads = enableIoThreads;
      return this;
    }

    public Builder debug(boolean debug) {
      this.debug = debug;
      return this;
    }

    public Builder memPrealloc(boolean memPrealloc) {
      this.memPrealloc = memPrealloc;
      return this;
    }

    public Builder hugePages(boolean hugePages) {
      this.hugePages = hugePages;
      return this;
    }

    public Builder virtioMem(boolean virtioMem) {
      this.virtioMem = virtioMem;
      return this;
    }

    public Builder realtime(boolean realtime) {
      this.realtime = realtime;
      return this;
    }

    public Builder mlock(boolean mlock) {
      this.mlock = mlock;
      return this;
    }

    public Builder disableNestingChecks(boolean disableNestingChecks) {
      this.disableNestingChecks = disableNestingChecks;
      return this;
    }

    public Builder useVsock(boolean useVsock) {
      this.useVsock = useVsock;
      return this;
    }

    public Builder disableImageNvdimm(boolean disableImageNvdimm) {
      this.disableImageNvdimm = disableImageNvdimm;
      return this;
    }

    public Builder hotplugVfioOnRootBus(boolean hotplugVfioOnRootBus) {
      this.hotplugVfioOnRootBus = hotplugVfioOnRootBus;
      return this;
    }

    public Builder pcieRootPort(long pcieRootPort) {
      this.pcieRootPort = pcieRootPort;
      return this;
    }

    public Builder bootToBeTemplate(boolean bootToBeTemplate) {
      this.bootToBeTemplate = bootToBeTemplate;
      return this;
    }

    public Builder bootFromTemplate(boolean bootFromTemplate) {
      this.bootFromTemplate = bootFromTemplate;
      return this;
    }

    public Builder disableVhostNet(boolean disableVhostNet) {
      this.disableVhostNet = disableVhostNet;
      return this;
    }

    public Builder enableVhostUserStore(boolean enableVhostUserStore) {
      this.enableVhostUserStore = enableVhostUserStore;
      return this;
    }

    public Builder vhostUserStorePath(String vhostUserStorePath) {
      this.vhostUserStorePath = vhostUserStorePath;
      return this;
    }

    public Builder vhostUserStorePathList(List<String> vhostUserStorePathList) {
      this.vhostUserStorePathList = vhostUserStorePathList;
      return this;
    }

    public Builder guestHookPath(String guestHookPath) {
      this.guestHookPath = guestHookPath;
      return this;
    }

    public Builder vmId(String vmId) {
      this.vmId = vmId;
      return this;
    }

    public Builder enableAnnotations(List<String> enableAnnotations) {
      this.enableAnnotations = enableAnnotations;
      return this;
    }

    public HypervisorConfig build() {
      return new HypervisorConfig(
          numVcpus,
          defaultMaxVcpus,
          memorySize,
          defaultBridges,
          msize9p,
          memSlots,
          memOffset,
          virtioFsCacheSize,
          kernelPath,
          imagePath,
          initrdPath,
          firmwarePath,
          machineAccelerators,
          cpuFeatures,
          hypervisorPath,
          hypervisorPathList,
          hypervisorCtlPath,
          hypervisorCtlPathList,
          jailerPath,
          jailerPathList,
          blockDeviceDriver,
          hypervisorMachineType,
          memoryPath,
          devicesStatePath,
          entropySource,
          sharedFs,
          virtioFsDaemon,
          virtioFsDaemonList,
          virtioFsCache,
          virtioFsExtraArgs,
          fileBackedMemRootDir,
          fileBackedMemRootList,
          blockDeviceCacheSet,
          blockDeviceCacheDirect,
          blockDeviceCacheNoflush,
          disableBlockDeviceUse,
          enableIoThreads,
          debug,
          memPrealloc,
          hugePages,
          virtioMem,
          realtime,
          mlock,
          disableNestingChecks,
          useVsock,
          disableImageNvdimm,
          hotplugVfioOnRootBus,
          pcieRootPort,
          bootToBeTemplate,
          bootFromTemplate,
          disableVhostNet,
          enableVhostUserStore,
          vhostUserStorePath,
          vhostUserStorePathList,
          guestHookPath,
          vmId,
          enableAnnotations);
    }
  }
}
