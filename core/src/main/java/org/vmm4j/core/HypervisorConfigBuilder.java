package org.vmm4j.core;

import java.util.List;

/**
 * Builds a {@link HypervisorConfig}. Every field starts at its Go zero value (0, false, "", an
 * empty list, {@link Accelerator#AUTO}); setters are named after the record components. Not
 * thread-safe; {@link #build()} may be called repeatedly.
 */
public final class HypervisorConfigBuilder {
  private long numVCPUs;
  private long defaultMaxVCPUs;
  private long memorySize;
  private long defaultBridges;
  private long msize9p;
  private long memSlots;
  private long memOffset;
  private long virtioFSCacheSize;
  private String kernelPath = "";
  private String imagePath = "";
  private String initrdPath = "";
  private String firmwarePath = "";
  private String machineAccelerators = "";
  private String cpuFeatures = "";
  private String hypervisorPath = "";
  private List<String> hypervisorPathList = List.of();
  private String hypervisorCtlPath = "";
  private List<String> hypervisorCtlPathList = List.of();
  private String jailerPath = "";
  private List<String> jailerPathList = List.of();
  private String blockDeviceDriver = "";
  private String hypervisorMachineType = "";
  private String memoryPath = "";
  private String devicesStatePath = "";
  private String entropySource = "";
  private String sharedFS = "";
  private String virtioFSDaemon = "";
  private List<String> virtioFSDaemonList = List.of();
  private String virtioFSCache = "";
  private List<String> virtioFSExtraArgs = List.of();
  private String fileBackedMemRootDir = "";
  private List<String> fileBackedMemRootList = List.of();
  private boolean blockDeviceCacheSet;
  private boolean blockDeviceCacheDirect;
  private boolean blockDeviceCacheNoflush;
  private boolean disableBlockDeviceUse;
  private boolean enableIOThreads;
  private boolean debug;
  private boolean memPrealloc;
  private boolean hugePages;
  private boolean virtioMem;
  private boolean realtime;
  private boolean mlock;
  private boolean disableNestingChecks;
  private boolean useVSock;
  private boolean disableImageNvdimm;
  private boolean hotplugVFIOOnRootBus;
  private long pcieRootPort;
  private boolean bootToBeTemplate;
  private boolean bootFromTemplate;
  private boolean disableVhostNet;
  private boolean enableVhostUserStore;
  private String vhostUserStorePath = "";
  private List<String> vhostUserStorePathList = List.of();
  private String guestHookPath = "";
  private String vmId = "";
  private List<String> enableAnnotations = List.of();
  private List<KernelParam> kernelParams = List.of();
  private List<KernelParam> hypervisorParams = List.of();
  private List<String> pflash = List.of();
  private boolean iommu;
  private boolean iommuPlatform;
  private boolean nativePcieHotplug;
  private Accelerator accelerator = Accelerator.AUTO;
  private boolean sharedMemory;
  private boolean disableQemuSeccomp;
  private List<String> kernelPathList = List.of();
  private List<String> imagePathList = List.of();
  private List<String> initrdPathList = List.of();
  private List<String> firmwarePathList = List.of();
  private List<String> entropySourceList = List.of();
  private List<String> configPathList = List.of();

  HypervisorConfigBuilder() {}

  HypervisorConfigBuilder(HypervisorConfig c) {
    numVCPUs = c.numVCPUs();
    defaultMaxVCPUs = c.defaultMaxVCPUs();
    memorySize = c.memorySize();
    defaultBridges = c.defaultBridges();
    msize9p = c.msize9p();
    memSlots = c.memSlots();
    memOffset = c.memOffset();
    virtioFSCacheSize = c.virtioFSCacheSize();
    kernelPath = c.kernelPath();
    imagePath = c.imagePath();
    initrdPath = c.initrdPath();
    firmwarePath = c.firmwarePath();
    machineAccelerators = c.machineAccelerators();
    cpuFeatures = c.cpuFeatures();
    hypervisorPath = c.hypervisorPath();
    hypervisorPathList = c.hypervisorPathList();
    hypervisorCtlPath = c.hypervisorCtlPath();
    hypervisorCtlPathList = c.hypervisorCtlPathList();
    jailerPath = c.jailerPath();
    jailerPathList = c.jailerPathList();
    blockDeviceDriver = c.blockDeviceDriver();
    hypervisorMachineType = c.hypervisorMachineType();
    memoryPath = c.memoryPath();
    devicesStatePath = c.devicesStatePath();
    entropySource = c.entropySource();
    sharedFS = c.sharedFS();
    virtioFSDaemon = c.virtioFSDaemon();
    virtioFSDaemonList = c.virtioFSDaemonList();
    virtioFSCache = c.virtioFSCache();
    virtioFSExtraArgs = c.virtioFSExtraArgs();
    fileBackedMemRootDir = c.fileBackedMemRootDir();
    fileBackedMemRootList = c.fileBackedMemRootList();
    blockDeviceCacheSet = c.blockDeviceCacheSet();
    blockDeviceCacheDirect = c.blockDeviceCacheDirect();
    blockDeviceCacheNoflush = c.blockDeviceCacheNoflush();
    disableBlockDeviceUse = c.disableBlockDeviceUse();
    enableIOThreads = c.enableIOThreads();
    debug = c.debug();
    memPrealloc = c.memPrealloc();
    hugePages = c.hugePages();
    virtioMem = c.virtioMem();
    realtime = c.realtime();
    mlock = c.mlock();
    disableNestingChecks = c.disableNestingChecks();
    useVSock = c.useVSock();
    disableImageNvdimm = c.disableImageNvdimm();
    hotplugVFIOOnRootBus = c.hotplugVFIOOnRootBus();
    pcieRootPort = c.pcieRootPort();
    bootToBeTemplate = c.bootToBeTemplate();
    bootFromTemplate = c.bootFromTemplate();
    disableVhostNet = c.disableVhostNet();
    enableVhostUserStore = c.enableVhostUserStore();
    vhostUserStorePath = c.vhostUserStorePath();
    vhostUserStorePathList = c.vhostUserStorePathList();
    guestHookPath = c.guestHookPath();
    vmId = c.vmId();
    enableAnnotations = c.enableAnnotations();
    kernelParams = c.kernelParams();
    hypervisorParams = c.hypervisorParams();
    pflash = c.pflash();
    iommu = c.iommu();
    iommuPlatform = c.iommuPlatform();
    nativePcieHotplug = c.nativePcieHotplug();
    accelerator = c.accelerator();
    sharedMemory = c.sharedMemory();
    disableQemuSeccomp = c.disableQemuSeccomp();
    kernelPathList = c.kernelPathList();
    imagePathList = c.imagePathList();
    initrdPathList = c.initrdPathList();
    firmwarePathList = c.firmwarePathList();
    entropySourceList = c.entropySourceList();
    configPathList = c.configPathList();
  }

  public HypervisorConfigBuilder numVCPUs(long numVCPUs) {
    this.numVCPUs = numVCPUs;
    return this;
  }

  public HypervisorConfigBuilder defaultMaxVCPUs(long defaultMaxVCPUs) {
    this.defaultMaxVCPUs = defaultMaxVCPUs;
    return this;
  }

  public HypervisorConfigBuilder memorySize(long memorySize) {
    this.memorySize = memorySize;
    return this;
  }

  public HypervisorConfigBuilder defaultBridges(long defaultBridges) {
    this.defaultBridges = defaultBridges;
    return this;
  }

  public HypervisorConfigBuilder msize9p(long msize9p) {
    this.msize9p = msize9p;
    return this;
  }

  public HypervisorConfigBuilder memSlots(long memSlots) {
    this.memSlots = memSlots;
    return this;
  }

  public HypervisorConfigBuilder memOffset(long memOffset) {
    this.memOffset = memOffset;
    return this;
  }

  public HypervisorConfigBuilder virtioFSCacheSize(long virtioFSCacheSize) {
    this.virtioFSCacheSize = virtioFSCacheSize;
    return this;
  }

  public HypervisorConfigBuilder kernelPath(String kernelPath) {
    this.kernelPath = kernelPath;
    return this;
  }

  public HypervisorConfigBuilder imagePath(String imagePath) {
    this.imagePath = imagePath;
    return this;
  }

  public HypervisorConfigBuilder initrdPath(String initrdPath) {
    this.initrdPath = initrdPath;
    return this;
  }

  public HypervisorConfigBuilder firmwarePath(String firmwarePath) {
    this.firmwarePath = firmwarePath;
    return this;
  }

  public HypervisorConfigBuilder machineAccelerators(String machineAccelerators) {
    this.machineAccelerators = machineAccelerators;
    return this;
  }

  public HypervisorConfigBuilder cpuFeatures(String cpuFeatures) {
    this.cpuFeatures = cpuFeatures;
    return this;
  }

  public HypervisorConfigBuilder hypervisorPath(String hypervisorPath) {
    this.hypervisorPath = hypervisorPath;
    return this;
  }

  public HypervisorConfigBuilder hypervisorPathList(List<String> hypervisorPathList) {
    this.hypervisorPathList = hypervisorPathList;
    return this;
  }

  public HypervisorConfigBuilder hypervisorCtlPath(String hypervisorCtlPath) {
    this.hypervisorCtlPath = hypervisorCtlPath;
    return this;
  }

  public HypervisorConfigBuilder hypervisorCtlPathList(List<String> hypervisorCtlPathList) {
    this.hypervisorCtlPathList = hypervisorCtlPathList;
    return this;
  }

  public HypervisorConfigBuilder jailerPath(String jailerPath) {
    this.jailerPath = jailerPath;
    return this;
  }

  public HypervisorConfigBuilder jailerPathList(List<String> jailerPathList) {
    this.jailerPathList = jailerPathList;
    return this;
  }

  public HypervisorConfigBuilder blockDeviceDriver(String blockDeviceDriver) {
    this.blockDeviceDriver = blockDeviceDriver;
    return this;
  }

  public HypervisorConfigBuilder hypervisorMachineType(String hypervisorMachineType) {
    this.hypervisorMachineType = hypervisorMachineType;
    return this;
  }

  public HypervisorConfigBuilder memoryPath(String memoryPath) {
    this.memoryPath = memoryPath;
    return this;
  }

  public HypervisorConfigBuilder devicesStatePath(String devicesStatePath) {
    this.devicesStatePath = devicesStatePath;
    return this;
  }

  public HypervisorConfigBuilder entropySource(String entropySource) {
    this.entropySource = entropySource;
    return this;
  }

  public HypervisorConfigBuilder sharedFS(String sharedFS) {
    this.sharedFS = sharedFS;
    return this;
  }

  public HypervisorConfigBuilder virtioFSDaemon(String virtioFSDaemon) {
    this.virtioFSDaemon = virtioFSDaemon;
    return this;
  }

  public HypervisorConfigBuilder virtioFSDaemonList(List<String> virtioFSDaemonList) {
    this.virtioFSDaemonList = virtioFSDaemonList;
    return this;
  }

  public HypervisorConfigBuilder virtioFSCache(String virtioFSCache) {
    this.virtioFSCache = virtioFSCache;
    return this;
  }

  public HypervisorConfigBuilder virtioFSExtraArgs(List<String> virtioFSExtraArgs) {
    this.virtioFSExtraArgs = virtioFSExtraArgs;
    return this;
  }

  public HypervisorConfigBuilder fileBackedMemRootDir(String fileBackedMemRootDir) {
    this.fileBackedMemRootDir = fileBackedMemRootDir;
    return this;
  }

  public HypervisorConfigBuilder fileBackedMemRootList(List<String> fileBackedMemRootList) {
    this.fileBackedMemRootList = fileBackedMemRootList;
    return this;
  }

  public HypervisorConfigBuilder blockDeviceCacheSet(boolean blockDeviceCacheSet) {
    this.blockDeviceCacheSet = blockDeviceCacheSet;
    return this;
  }

  public HypervisorConfigBuilder blockDeviceCacheDirect(boolean blockDeviceCacheDirect) {
    this.blockDeviceCacheDirect = blockDeviceCacheDirect;
    return this;
  }

  public HypervisorConfigBuilder blockDeviceCacheNoflush(boolean blockDeviceCacheNoflush) {
    this.blockDeviceCacheNoflush = blockDeviceCacheNoflush;
    return this;
  }

  public HypervisorConfigBuilder disableBlockDeviceUse(boolean disableBlockDeviceUse) {
    this.disableBlockDeviceUse = disableBlockDeviceUse;
    return this;
  }

  public HypervisorConfigBuilder enableIOThreads(boolean enableIOThreads) {
    this.enableIOThreads = enableIOThreads;
    return this;
  }

  public HypervisorConfigBuilder debug(boolean debug) {
    this.debug = debug;
    return this;
  }

  public HypervisorConfigBuilder memPrealloc(boolean memPrealloc) {
    this.memPrealloc = memPrealloc;
    return this;
  }

  public HypervisorConfigBuilder hugePages(boolean hugePages) {
    this.hugePages = hugePages;
    return this;
  }

  public HypervisorConfigBuilder virtioMem(boolean virtioMem) {
    this.virtioMem = virtioMem;
    return this;
  }

  public HypervisorConfigBuilder realtime(boolean realtime) {
    this.realtime = realtime;
    return this;
  }

  public HypervisorConfigBuilder mlock(boolean mlock) {
    this.mlock = mlock;
    return this;
  }

  public HypervisorConfigBuilder disableNestingChecks(boolean disableNestingChecks) {
    this.disableNestingChecks = disableNestingChecks;
    return this;
  }

  public HypervisorConfigBuilder useVSock(boolean useVSock) {
    this.useVSock = useVSock;
    return this;
  }

  public HypervisorConfigBuilder disableImageNvdimm(boolean disableImageNvdimm) {
    this.disableImageNvdimm = disableImageNvdimm;
    return this;
  }

  public HypervisorConfigBuilder hotplugVFIOOnRootBus(boolean hotplugVFIOOnRootBus) {
    this.hotplugVFIOOnRootBus = hotplugVFIOOnRootBus;
    return this;
  }

  public HypervisorConfigBuilder pcieRootPort(long pcieRootPort) {
    this.pcieRootPort = pcieRootPort;
    return this;
  }

  public HypervisorConfigBuilder bootToBeTemplate(boolean bootToBeTemplate) {
    this.bootToBeTemplate = bootToBeTemplate;
    return this;
  }

  public HypervisorConfigBuilder bootFromTemplate(boolean bootFromTemplate) {
    this.bootFromTemplate = bootFromTemplate;
    return this;
  }

  public HypervisorConfigBuilder disableVhostNet(boolean disableVhostNet) {
    this.disableVhostNet = disableVhostNet;
    return this;
  }

  public HypervisorConfigBuilder enableVhostUserStore(boolean enableVhostUserStore) {
    this.enableVhostUserStore = enableVhostUserStore;
    return this;
  }

  public HypervisorConfigBuilder vhostUserStorePath(String vhostUserStorePath) {
    this.vhostUserStorePath = vhostUserStorePath;
    return this;
  }

  public HypervisorConfigBuilder vhostUserStorePathList(List<String> vhostUserStorePathList) {
    this.vhostUserStorePathList = vhostUserStorePathList;
    return this;
  }

  public HypervisorConfigBuilder guestHookPath(String guestHookPath) {
    this.guestHookPath = guestHookPath;
    return this;
  }

  public HypervisorConfigBuilder vmId(String vmId) {
    this.vmId = vmId;
    return this;
  }

  public HypervisorConfigBuilder enableAnnotations(List<String> enableAnnotations) {
    this.enableAnnotations = enableAnnotations;
    return this;
  }

  public HypervisorConfigBuilder kernelParams(List<KernelParam> kernelParams) {
    this.kernelParams = kernelParams;
    return this;
  }

  public HypervisorConfigBuilder hypervisorParams(List<KernelParam> hypervisorParams) {
    this.hypervisorParams = hypervisorParams;
    return this;
  }

  public HypervisorConfigBuilder pflash(List<String> pflash) {
    this.pflash = pflash;
    return this;
  }

  public HypervisorConfigBuilder iommu(boolean iommu) {
    this.iommu = iommu;
    return this;
  }

  public HypervisorConfigBuilder iommuPlatform(boolean iommuPlatform) {
    this.iommuPlatform = iommuPlatform;
    return this;
  }

  public HypervisorConfigBuilder nativePcieHotplug(boolean nativePcieHotplug) {
    this.nativePcieHotplug = nativePcieHotplug;
    return this;
  }

  public HypervisorConfigBuilder accelerator(Accelerator accelerator) {
    this.accelerator = accelerator;
    return this;
  }

  public HypervisorConfigBuilder sharedMemory(boolean sharedMemory) {
    this.sharedMemory = sharedMemory;
    return this;
  }

  public HypervisorConfigBuilder disableQemuSeccomp(boolean disableQemuSeccomp) {
    this.disableQemuSeccomp = disableQemuSeccomp;
    return this;
  }

  public HypervisorConfigBuilder kernelPathList(List<String> kernelPathList) {
    this.kernelPathList = kernelPathList;
    return this;
  }

  public HypervisorConfigBuilder imagePathList(List<String> imagePathList) {
    this.imagePathList = imagePathList;
    return this;
  }

  public HypervisorConfigBuilder initrdPathList(List<String> initrdPathList) {
    this.initrdPathList = initrdPathList;
    return this;
  }

  public HypervisorConfigBuilder firmwarePathList(List<String> firmwarePathList) {
    this.firmwarePathList = firmwarePathList;
    return this;
  }

  public HypervisorConfigBuilder entropySourceList(List<String> entropySourceList) {
    this.entropySourceList = entropySourceList;
    return this;
  }

  public HypervisorConfigBuilder configPathList(List<String> configPathList) {
    this.configPathList = configPathList;
    return this;
  }

  /** The config; nulls become Go zero values. */
  public HypervisorConfig build() {
    return new HypervisorConfig(
        numVCPUs,
        defaultMaxVCPUs,
        memorySize,
        defaultBridges,
        msize9p,
        memSlots,
        memOffset,
        virtioFSCacheSize,
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
        sharedFS,
        virtioFSDaemon,
        virtioFSDaemonList,
        virtioFSCache,
        virtioFSExtraArgs,
        fileBackedMemRootDir,
        fileBackedMemRootList,
        blockDeviceCacheSet,
        blockDeviceCacheDirect,
        blockDeviceCacheNoflush,
        disableBlockDeviceUse,
        enableIOThreads,
        debug,
        memPrealloc,
        hugePages,
        virtioMem,
        realtime,
        mlock,
        disableNestingChecks,
        useVSock,
        disableImageNvdimm,
        hotplugVFIOOnRootBus,
        pcieRootPort,
        bootToBeTemplate,
        bootFromTemplate,
        disableVhostNet,
        enableVhostUserStore,
        vhostUserStorePath,
        vhostUserStorePathList,
        guestHookPath,
        vmId,
        enableAnnotations,
        kernelParams,
        hypervisorParams,
        pflash,
        iommu,
        iommuPlatform,
        nativePcieHotplug,
        accelerator,
        sharedMemory,
        disableQemuSeccomp,
        kernelPathList,
        imagePathList,
        initrdPathList,
        firmwarePathList,
        entropySourceList,
        configPathList);
  }
}
