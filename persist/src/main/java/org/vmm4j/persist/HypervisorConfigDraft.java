package org.vmm4j.persist;

import java.util.List;

/**
 * The state of a {@link HypervisorConfig.Builder}: every field at its Go zero value until set,
 * copied from a value by {@link HypervisorConfig#toBuilder()}, and {@link #build()}.
 */
abstract sealed class HypervisorConfigDraft permits HypervisorConfigSetters {
  long numVcpus;
  long defaultMaxVcpus;
  long memorySize;
  long defaultBridges;
  long msize9p;
  long memSlots;
  long memOffset;
  long virtioFsCacheSize;
  String kernelPath = "";
  String imagePath = "";
  String initrdPath = "";
  String firmwarePath = "";
  String machineAccelerators = "";
  String cpuFeatures = "";
  String hypervisorPath = "";
  List<String> hypervisorPathList;
  String hypervisorCtlPath = "";
  List<String> hypervisorCtlPathList;
  String jailerPath = "";
  List<String> jailerPathList;
  String blockDeviceDriver = "";
  String hypervisorMachineType = "";
  String memoryPath = "";
  String devicesStatePath = "";
  String entropySource = "";
  String sharedFs = "";
  String virtioFsDaemon = "";
  List<String> virtioFsDaemonList;
  String virtioFsCache = "";
  List<String> virtioFsExtraArgs;
  String fileBackedMemRootDir = "";
  List<String> fileBackedMemRootList;
  boolean blockDeviceCacheSet;
  boolean blockDeviceCacheDirect;
  boolean blockDeviceCacheNoflush;
  boolean disableBlockDeviceUse;
  boolean enableIoThreads;
  boolean debug;
  boolean memPrealloc;
  boolean hugePages;
  boolean virtioMem;
  boolean realtime;
  boolean mlock;
  boolean disableNestingChecks;
  boolean useVsock;
  boolean disableImageNvdimm;
  boolean hotplugVfioOnRootBus;
  long pcieRootPort;
  boolean bootToBeTemplate;
  boolean bootFromTemplate;
  boolean disableVhostNet;
  boolean enableVhostUserStore;
  String vhostUserStorePath = "";
  List<String> vhostUserStorePathList;
  String guestHookPath = "";
  String vmId = "";
  List<String> enableAnnotations;

  HypervisorConfigDraft() {}

  /** Copies every field of {@code config} into this draft. */
  final void copyFrom(HypervisorConfig config) {
    numVcpus = config.numVcpus();
    defaultMaxVcpus = config.defaultMaxVcpus();
    memorySize = config.memorySize();
    defaultBridges = config.defaultBridges();
    msize9p = config.msize9p();
    memSlots = config.memSlots();
    memOffset = config.memOffset();
    virtioFsCacheSize = config.virtioFsCacheSize();
    kernelPath = config.kernelPath();
    imagePath = config.imagePath();
    initrdPath = config.initrdPath();
    firmwarePath = config.firmwarePath();
    machineAccelerators = config.machineAccelerators();
    cpuFeatures = config.cpuFeatures();
    hypervisorPath = config.hypervisorPath();
    hypervisorPathList = config.hypervisorPathList();
    hypervisorCtlPath = config.hypervisorCtlPath();
    hypervisorCtlPathList = config.hypervisorCtlPathList();
    jailerPath = config.jailerPath();
    jailerPathList = config.jailerPathList();
    blockDeviceDriver = config.blockDeviceDriver();
    hypervisorMachineType = config.hypervisorMachineType();
    memoryPath = config.memoryPath();
    devicesStatePath = config.devicesStatePath();
    entropySource = config.entropySource();
    sharedFs = config.sharedFs();
    virtioFsDaemon = config.virtioFsDaemon();
    virtioFsDaemonList = config.virtioFsDaemonList();
    virtioFsCache = config.virtioFsCache();
    virtioFsExtraArgs = config.virtioFsExtraArgs();
    fileBackedMemRootDir = config.fileBackedMemRootDir();
    fileBackedMemRootList = config.fileBackedMemRootList();
    blockDeviceCacheSet = config.blockDeviceCacheSet();
    blockDeviceCacheDirect = config.blockDeviceCacheDirect();
    blockDeviceCacheNoflush = config.blockDeviceCacheNoflush();
    disableBlockDeviceUse = config.disableBlockDeviceUse();
    enableIoThreads = config.enableIoThreads();
    debug = config.debug();
    memPrealloc = config.memPrealloc();
    hugePages = config.hugePages();
    virtioMem = config.virtioMem();
    realtime = config.realtime();
    mlock = config.mlock();
    disableNestingChecks = config.disableNestingChecks();
    useVsock = config.useVsock();
    disableImageNvdimm = config.disableImageNvdimm();
    hotplugVfioOnRootBus = config.hotplugVfioOnRootBus();
    pcieRootPort = config.pcieRootPort();
    bootToBeTemplate = config.bootToBeTemplate();
    bootFromTemplate = config.bootFromTemplate();
    disableVhostNet = config.disableVhostNet();
    enableVhostUserStore = config.enableVhostUserStore();
    vhostUserStorePath = config.vhostUserStorePath();
    vhostUserStorePathList = config.vhostUserStorePathList();
    guestHookPath = config.guestHookPath();
    vmId = config.vmId();
    enableAnnotations = config.enableAnnotations();
  }

  /** The value of the fields set so far. */
  public final HypervisorConfig build() {
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
