package org.vmm4j.core;

import static org.vmm4j.core.AssetConfigs.imageConfig;
import static org.vmm4j.core.AssetConfigs.initrdConfig;
import static org.vmm4j.core.AssetConfigs.paths;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.HostCapabilities;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.KernelParam;
import org.vmm4j.core.internal.qemu.LaunchContext;
import org.vmm4j.core.internal.qemu.QemuCommandLine;
import org.vmm4j.testing.qemu.TestAssets;

/**
 * The configurations whose command lines are golden files ({@code golden/<name>.txt}), shared by
 * {@code QemuCommandLineGoldenTest} and {@code QemuArgvAcceptanceIT}.
 */
public final class GoldenCases {
  public static final UUID UUID_FIXED = UUID.fromString("2a1f3e5c-8c63-4a51-9f2d-6a0e5b9b2c11");
  public static final long HOST_MEM_MIB = 24000;
  public static final int HOST_CPUS = 2;

  /** A TCG host with seccomp, no vsock, not nested. */
  public static final HostCapabilities TCG_HOST =
      new HostCapabilities(false, true, false, false, HOST_MEM_MIB);

  public static final HostCapabilities TCG_VSOCK_HOST =
      new HostCapabilities(false, true, true, false, HOST_MEM_MIB);

  /** A nested KVM host (Kata's disable-modern rule applies). */
  public static final HostCapabilities KVM_NESTED_HOST =
      new HostCapabilities(true, true, false, true, HOST_MEM_MIB);

  /**
   * One case.
   *
   * @param name the golden file's base name
   * @param config the config before {@code validate}
   * @param host the host it is built for
   */
  public record Case(
      String name, Function<TestAssets, HypervisorConfig> config, HostCapabilities host) {

    @Override
    public String toString() {
      return name;
    }

    public boolean needsKvm() {
      return host.kvmUsable();
    }

    /** Validates the config (with {@value #HOST_CPUS} host CPUs) and builds the command line. */
    public QemuCommandLine build(TestAssets assets, HostCapabilities actualHost) {
      HypervisorConfig valid = ConfigLoader.validate(config.apply(assets), HOST_CPUS);
      LaunchContext ctx =
          new LaunchContext("golden", UUID_FIXED, paths(assets), actualHost, sequentialIds());
      return QemuCommandLine.build(valid, ctx);
    }
  }

  /** Device ids 0000000000000001, 0000000000000002, ... */
  public static Supplier<String> sequentialIds() {
    long[] next = {1};
    return () -> String.format("%016x", next[0]++);
  }

  public static final List<Case> ALL =
      List.of(
          new Case("pc-default", a -> initrdConfig(a), TCG_HOST),
          new Case(
              "q35-root-ports-native-hotplug",
              a ->
                  initrdConfig(a)
                      .editKata(
                          k -> k.hypervisorMachineType("q35").defaultBridges(2).pcieRootPort(3))
                      .editLive(l -> l.nativePcieHotplug(true)),
              TCG_HOST),
          new Case(
              "microvm",
              a ->
                  initrdConfig(a).editKata(k -> k.hypervisorMachineType("microvm").memorySize(512)),
              TCG_HOST),
          new Case(
              "microvm-image-shared-memory",
              a ->
                  imageConfig(a)
                      .editKata(
                          k ->
                              k.hypervisorMachineType("microvm")
                                  .disableImageNvdimm(true)
                                  .blockDeviceDriver("virtio-blk")
                                  .memorySize(512))
                      .editLive(l -> l.sharedMemory(true)),
              TCG_HOST),
          new Case("image-nvdimm", a -> imageConfig(a).editKata(k -> k.memorySize(1024)), TCG_HOST),
          new Case(
              "image-virtio-blk",
              a ->
                  imageConfig(a)
                      .editKata(
                          k ->
                              k.hypervisorMachineType("q35")
                                  .disableImageNvdimm(true)
                                  .blockDeviceDriver("virtio-blk")),
              TCG_HOST),
          new Case(
              "virtio-fs",
              a ->
                  initrdConfig(a)
                      .editKata(
                          k ->
                              k.hypervisorMachineType("q35")
                                  .sharedFs("virtio-fs")
                                  .virtioFsDaemon(a.virtiofsd().toString())
                                  .virtioFsCache("auto")
                                  .virtioFsExtraArgs(List.of("--thread-pool-size=1"))
                                  .fileBackedMemRootDir(a.dir("shm").toString())
                                  .memorySize(512)),
              TCG_HOST),
          new Case(
              "hugepages",
              a ->
                  initrdConfig(a)
                      .editKata(k -> k.hugePages(true).memPrealloc(true).memorySize(256)),
              TCG_HOST),
          new Case(
              "file-backed-shared-memory",
              a ->
                  initrdConfig(a)
                      .editKata(
                          k ->
                              k.hypervisorMachineType("q35")
                                  .fileBackedMemRootDir(a.dir("shm").toString())
                                  .memorySize(512)),
              TCG_HOST),
          new Case(
              "vhost-user-store-memfd",
              a ->
                  initrdConfig(a)
                      .editKata(
                          k ->
                              k.hypervisorMachineType("q35")
                                  .enableVhostUserStore(true)
                                  .vhostUserStorePath(a.dir("vhost-user").toString())
                                  .pcieRootPort(1)
                                  .memorySize(512))
                      .editLive(l -> l.sharedMemory(true)),
              TCG_HOST),
          new Case(
              "iothreads",
              a -> initrdConfig(a).editKata(k -> k.enableIoThreads(true).numVcpus(2)),
              TCG_HOST),
          new Case(
              "debug",
              a -> imageConfig(a).editKata(k -> k.debug(true).disableImageNvdimm(true)),
              TCG_HOST),
          new Case(
              "custom-kernel-params",
              a ->
                  initrdConfig(a)
                      .editKata(
                          k ->
                              k.machineAccelerators("usb=off")
                                  .entropySource("/dev/urandom")
                                  .realtime(true)
                                  .mlock(false)
                                  .defaultMaxVcpus(8)
                                  .numVcpus(3)
                                  .memSlots(4)
                                  .memOffset(512))
                      .editLive(
                          l ->
                              l.kernelParams(
                                  KernelParam.parse("agent=hvc0 console=ttyS0 quiet=0"))),
              TCG_HOST),
          new Case(
              "q35-vsock",
              a -> initrdConfig(a).editKata(k -> k.hypervisorMachineType("q35").useVsock(true)),
              TCG_VSOCK_HOST),
          new Case(
              "pc-vsock",
              a -> initrdConfig(a).editKata(k -> k.useVsock(true).mlock(true)),
              TCG_VSOCK_HOST),
          new Case(
              "template-to-be",
              a ->
                  initrdConfig(a)
                      .editKata(
                          k ->
                              k.bootToBeTemplate(true)
                                  .memoryPath(a.dir("template").resolve("memory").toString())
                                  .memorySize(256)),
              TCG_HOST),
          new Case(
              "kvm-pc-nested",
              a ->
                  imageConfig(a)
                      .editKata(k -> k.cpuFeatures("pmu=off"))
                      .editLive(l -> l.accelerator(Accelerator.KVM)),
              KVM_NESTED_HOST),
          new Case(
              "kvm-q35-iommu",
              a ->
                  initrdConfig(a)
                      .editKata(
                          k ->
                              k.hypervisorMachineType("q35")
                                  .disableNestingChecks(true)
                                  .pcieRootPort(2))
                      .editLive(l -> l.iommu(true)),
              KVM_NESTED_HOST));

  private GoldenCases() {}
}
