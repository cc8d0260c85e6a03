package org.vmm4j.persist;

import java.util.List;

/** The fluent setters of {@link HypervisorConfig.Builder}, one per Go field. */
abstract sealed class HypervisorConfigSetters extends HypervisorConfigDraft
    permits HypervisorConfig.Builder {

  HypervisorConfigSetters() {}

  private HypervisorConfig.Builder self() {
    return (HypervisorConfig.Builder) this;
  }

  public HypervisorConfig.Builder numVcpus(long numVcpus) {
    this.numVcpus = numVcpus;
    return self();
  }

  public HypervisorConfig.Builder defaultMaxVcpus(long defaultMaxVcpus) {
    this.defaultMaxVcpus = defaultMaxVcpus;
    return self();
  }

  public HypervisorConfig.Builder memorySize(long memorySize) {
    this.memorySize = memorySize;
    return self();
  }

  public HypervisorConfig.Builder defaultBridges(long defaultBridges) {
    this.defaultBridges = defaultBridges;
    return self();
  }

  public HypervisorConfig.Builder msize9p(long msize9p) {
    this.msize9p = msize9p;
    return self();
  }

  public HypervisorConfig.Builder memSlots(long memSlots) {
    this.memSlots = memSlots;
    return self();
  }

  public HypervisorConfig.Builder memOffset(long memOffset) {
    this.memOffset = memOffset;
    return self();
  }

  public HypervisorConfig.Builder virtioFsCacheSize(long virtioFsCacheSize) {
    this.virtioFsCacheSize = virtioFsCacheSize;
    return self();
  }

  public HypervisorConfig.Builder kernelPath(String kernelPath) {
    this.kernelPath = kernelPath;
    return self();
  }

  public HypervisorConfig.Builder imagePath(String imagePath) {
    this.imagePath = imagePath;
    return self();
  }

  public HypervisorConfig.Builder initrdPath(String initrdPath) {
    this.initrdPath = initrdPath;
    return self();
  }

  public HypervisorConfig.Builder firmwarePath(String firmwarePath) {
    this.firmwarePath = firmwarePath;
    return self();
  }

  public HypervisorConfig.Builder machineAccelerators(String machineAccelerators) {
    this.machineAccelerators = machineAccelerators;
    return self();
  }

  public HypervisorConfig.Builder cpuFeatures(String cpuFeatures) {
    this.cpuFeatures = cpuFeatures;
    return self();
  }

  public HypervisorConfig.Builder hypervisorPath(String hypervisorPath) {
    this.hypervisorPath = hypervisorPath;
    return self();
  }

  public HypervisorConfig.Builder hypervisorPathList(List<String> hypervisorPathList) {
    this.hypervisorPathList = hypervisorPathList;
    return self();
  }

  public HypervisorConfig.Builder hypervisorCtlPath(String hypervisorCtlPath) {
    this.hypervisorCtlPath = hypervisorCtlPath;
    return self();
  }

  public HypervisorConfig.Builder hypervisorCtlPathList(List<String> hypervisorCtlPathList) {
    this.hypervisorCtlPathList = hypervisorCtlPathList;
    return self();
  }

  public HypervisorConfig.Builder jailerPath(String jailerPath) {
    this.jailerPath = jailerPath;
    return self();
  }

  public HypervisorConfig.Builder jailerPathList(List<String> jailerPathList) {
    this.jailerPathList = jailerPathList;
    return self();
  }

  public HypervisorConfig.Builder blockDeviceDriver(String blockDeviceDriver) {
    this.blockDeviceDriver = blockDeviceDriver;
    return self();
  }

  public HypervisorConfig.Builder hypervisorMachineType(String hypervisorMachineType) {
    this.hypervisorMachineType = hypervisorMachineType;
    return self();
  }

  public HypervisorConfig.Builder memoryPath(String memoryPath) {
    this.memoryPath = memoryPath;
    return self();
  }

  public HypervisorConfig.Builder devicesStatePath(String devicesStatePath) {
    this.devicesStatePath = devicesStatePath;
    return self();
  }

  public HypervisorConfig.Builder entropySource(String entropySource) {
    this.entropySource = entropySource;
    return self();
  }

  public HypervisorConfig.Builder sharedFs(String sharedFs) {
    this.sharedFs = sharedFs;
    return self();
  }

  public HypervisorConfig.Builder virtioFsDaemon(String virtioFsDaemon) {
    this.virtioFsDaemon = virtioFsDaemon;
    return self();
  }

  public HypervisorConfig.Builder virtioFsDaemonList(List<String> virtioFsDaemonList) {
    this.virtioFsDaemonList = virtioFsDaemonList;
    return self();
  }

  public HypervisorConfig.Builder virtioFsCache(String virtioFsCache) {
    this.virtioFsCache = virtioFsCache;
    return self();
  }

  public HypervisorConfig.Builder virtioFsExtraArgs(List<String> virtioFsExtraArgs) {
    this.virtioFsExtraArgs = virtioFsExtraArgs;
    return self();
  }

  public HypervisorConfig.Builder fileBackedMemRootDir(String fileBackedMemRootDir) {
    this.fileBackedMemRootDir = fileBackedMemRootDir;
    return self();
  }

  public HypervisorConfig.Builder fileBackedMemRootList(List<String> fileBackedMemRootList) {
    this.fileBackedMemRootList = fileBackedMemRootList;
    return self();
  }

  public HypervisorConfig.Builder blockDeviceCacheSet(boolean blockDeviceCacheSet) {
    this.blockDeviceCacheSet = blockDeviceCacheSet;
    return self();
  }

  public HypervisorConfig.Builder blockDeviceCacheDirect(boolean blockDeviceCacheDirect) {
    this.blockDeviceCacheDirect = blockDeviceCacheDirect;
    return self();
  }

  public HypervisorConfig.Builder blockDeviceCacheNoflush(boolean blockDeviceCacheNoflush) {
    this.blockDeviceCacheNoflush = blockDeviceCacheNoflush;
    return self();
  }

  public HypervisorConfig.Builder disableBlockDeviceUse(boolean disableBlockDeviceUse) {
    this.disableBlockDeviceUse = disableBlockDeviceUse;
    return self();
  }

  public HypervisorConfig.Builder enableIoThreads(boolean enableIoThreads) {
    this.enableIoThreads = enableIoThreads;
    return self();
  }

  public HypervisorConfig.Builder debug(boolean debug) {
    this.debug = debug;
    return self();
  }

  public HypervisorConfig.Builder memPrealloc(boolean memPrealloc) {
    this.memPrealloc = memPrealloc;
    return self();
  }

  public HypervisorConfig.Builder hugePages(boolean hugePages) {
    this.hugePages = hugePages;
    return self();
  }

  public HypervisorConfig.Builder virtioMem(boolean virtioMem) {
    this.virtioMem = virtioMem;
    return self();
  }

  public HypervisorConfig.Builder realtime(boolean realtime) {
    this.realtime = realtime;
    return self();
  }

  public HypervisorConfig.Builder mlock(boolean mlock) {
    this.mlock = mlock;
    return self();
  }

  public HypervisorConfig.Builder disableNestingChecks(boolean disableNestingChecks) {
    this.disableNestingChecks = disableNestingChecks;
    return self();
  }

  public HypervisorConfig.Builder useVsock(boolean useVsock) {
    this.useVsock = useVsock;
    return self();
  }

  public HypervisorConfig.Builder disableImageNvdimm(boolean disableImageNvdimm) {
    this.disableImageNvdimm = disableImageNvdimm;
    return self();
  }

  public HypervisorConfig.Builder hotplugVfioOnRootBus(boolean hotplugVfioOnRootBus) {
    this.hotplugVfioOnRootBus = hotplugVfioOnRootBus;
    return self();
  }

  public HypervisorConfig.Builder pcieRootPort(long pcieRootPort) {
    this.pcieRootPort = pcieRootPort;
    return self();
  }

  public HypervisorConfig.Builder bootToBeTemplate(boolean bootToBeTemplate) {
    this.bootToBeTemplate = bootToBeTemplate;
    return self();
  }

  public HypervisorConfig.Builder bootFromTemplate(boolean bootFromTemplate) {
    this.bootFromTemplate = bootFromTemplate;
    return self();
  }

  public HypervisorConfig.Builder disableVhostNet(boolean disableVhostNet) {
    this.disableVhostNet = disableVhostNet;
    return self();
  }

  public HypervisorConfig.Builder enableVhostUserStore(boolean enableVhostUserStore) {
    this.enableVhostUserStore = enableVhostUserStore;
    return self();
  }

  public HypervisorConfig.Builder vhostUserStorePath(String vhostUserStorePath) {
    this.vhostUserStorePath = vhostUserStorePath;
    return self();
  }

  public HypervisorConfig.Builder vhostUserStorePathList(List<String> vhostUserStorePathList) {
    this.vhostUserStorePathList = vhostUserStorePathList;
    return self();
  }

  public HypervisorConfig.Builder guestHookPath(String guestHookPath) {
    this.guestHookPath = guestHookPath;
    return self();
  }

  public HypervisorConfig.Builder vmId(String vmId) {
    this.vmId = vmId;
    return self();
  }

  public HypervisorConfig.Builder enableAnnotations(List<String> enableAnnotations) {
    this.enableAnnotations = enableAnnotations;
    return self();
  }
}
