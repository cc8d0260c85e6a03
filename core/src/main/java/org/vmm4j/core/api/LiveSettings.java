package org.vmm4j.core.api;

import java.util.List;
import java.util.Objects;
import org.vmm4j.persist.codec.GoField;

/**
 * The settings of a {@link HypervisorConfig} that Kata 1.13 keeps in memory only, or that vmm4j
 * adds: they shape the VM but are not part of the persisted {@code HypervisorConfig}, so a restored
 * sandbox has them at their defaults ({@link #defaults()}). Each component carries its name in
 * vmm4j's JSON form ({@link GoField}). Lists are never null (null becomes empty).
 *
 * @param kernelParams Kata's {@code KernelParams}: appended last to {@code -append}
 * @param hypervisorParams Kata's {@code HypervisorParams}: kept, unused by QEMU (as in Kata)
 * @param pflash Kata's {@code PFlash}: one {@code -pflash} each
 * @param iommu Kata's {@code IOMMU}: {@code intel-iommu} (q35 only)
 * @param iommuPlatform Kata's {@code IOMMUPlatform}: CCW only, no effect on amd64
 * @param nativePcieHotplug vmm4j's {@code NativePCIeHotplug}: native PCIe hotplug on q35 root ports
 * @param accelerator vmm4j's {@code Accelerator}: auto (the default), kvm or tcg
 * @param sharedMemory vmm4j's {@code SharedMemory}: share guest RAM (a memfd when neither hugepages
 *     nor a file root is set), e.g. for vhost-user
 * @param disableQemuSeccomp vmm4j's {@code DisableQemuSeccomp}: no {@code -sandbox on,...}
 * @param kernelPathList vmm4j's {@code KernelPathList} ({@code valid_kernel_paths}): annotation
 *     allowlist of {@code kernel}
 * @param imagePathList vmm4j's {@code ImagePathList} ({@code valid_image_paths}): annotation
 *     allowlist of {@code image}
 * @param initrdPathList vmm4j's {@code InitrdPathList} ({@code valid_initrd_paths}): annotation
 *     allowlist of {@code initrd}
 * @param firmwarePathList vmm4j's {@code FirmwarePathList} ({@code valid_firmware_paths}):
 *     annotation allowlist of {@code firmware}
 * @param entropySourceList vmm4j's {@code EntropySourceList} ({@code valid_entropy_sources}):
 *     annotation allowlist of {@code entropy_source}
 * @param configPathList vmm4j's {@code ConfigPathList} ({@code valid_config_paths}): annotation
 *     allowlist of {@code io.katacontainers.config_path}
 */
public record LiveSettings(
    @GoField("KernelParams") List<KernelParam> kernelParams,
    @GoField("HypervisorParams") List<KernelParam> hypervisorParams,
    @GoField("PFlash") List<String> pflash,
    @GoField("IOMMU") boolean iommu,
    @GoField("IOMMUPlatform") boolean iommuPlatform,
    @GoField("NativePCIeHotplug") boolean nativePcieHotplug,
    @GoField("Accelerator") Accelerator accelerator,
    @GoField("SharedMemory") boolean sharedMemory,
    @GoField("DisableQemuSeccomp") boolean disableQemuSeccomp,
    @GoField("KernelPathList") List<String> kernelPathList,
    @GoField("ImagePathList") List<String> imagePathList,
    @GoField("InitrdPathList") List<String> initrdPathList,
    @GoField("FirmwarePathList") List<String> firmwarePathList,
    @GoField("EntropySourceList") List<String> entropySourceList,
    @GoField("ConfigPathList") List<String> configPathList) {

  private static final LiveSettings DEFAULTS = builder().build();

  /** Null lists become empty, a null accelerator {@link Accelerator#AUTO}; lists are copied. */
  public LiveSettings {
    kernelParams = copy(kernelParams);
    hypervisorParams = copy(hypervisorParams);
    pflash = copy(pflash);
    accelerator = Objects.requireNonNullElse(accelerator, Accelerator.AUTO);
    kernelPathList = copy(kernelPathList);
    imagePathList = copy(imagePathList);
    initrdPathList = copy(initrdPathList);
    firmwarePathList = copy(firmwarePathList);
    entropySourceList = copy(entropySourceList);
    configPathList = copy(configPathList);
  }

  private static <T> List<T> copy(List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }

  /** Every setting at its default: empty lists, false, {@link Accelerator#AUTO}. */
  public static LiveSettings defaults() {
    return DEFAULTS;
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.kernelParams = kernelParams;
    b.hypervisorParams = hypervisorParams;
    b.pflash = pflash;
    b.iommu = iommu;
    b.iommuPlatform = iommuPlatform;
    b.nativePcieHotplug = nativePcieHotplug;
    b.accelerator = accelerator;
    b.sharedMemory = sharedMemory;
    b.disableQemuSeccomp = disableQemuSeccomp;
    b.kernelPathList = kernelPathList;
    b.imagePathList = imagePathList;
    b.initrdPathList = initrdPathList;
    b.firmwarePathList = firmwarePathList;
    b.entropySourceList = entropySourceList;
    b.configPathList = configPathList;
    return b;
  }

  /** Builds {@link LiveSettings}; setters are named after the components. Not thread-safe. */
  public static final class Builder {
    private List<KernelParam> kernelParams;
    private List<KernelParam> hypervisorParams;
    private List<String> pflash;
    private boolean iommu;
    private boolean iommuPlatform;
    private boolean nativePcieHotplug;
    private Accelerator accelerator;
    private boolean sharedMemory;
    private boolean disableQemuSeccomp;
    private List<String> kernelPathList;
    private List<String> imagePathList;
    private List<String> initrdPathList;
    private List<String> firmwarePathList;
    private List<String> entropySourceList;
    private List<String> configPathList;

    private Builder() {}

    public Builder kernelParams(List<KernelParam> kernelParams) {
      this.kernelParams = kernelParams;
      return this;
    }

    public Builder hypervisorParams(List<KernelParam> hypervisorParams) {
      this.hypervisorParams = hypervisorParams;
      return this;
    }

    public Builder pflash(List<String> pflash) {
      this.pflash = pflash;
      return this;
    }

    public Builder iommu(boolean iommu) {
      this.iommu = iommu;
      return this;
    }

    public Builder iommuPlatform(boolean iommuPlatform) {
      this.iommuPlatform = iommuPlatform;
      return this;
    }

    public Builder nativePcieHotplug(boolean nativePcieHotplug) {
      this.nativePcieHotplug = nativePcieHotplug;
      return this;
    }

    public Builder accelerator(Accelerator accelerator) {
      this.accelerator = accelerator;
      return this;
    }

    public Builder sharedMemory(boolean sharedMemory) {
      this.sharedMemory = sharedMemory;
      return this;
    }

    public Builder disableQemuSeccomp(boolean disableQemuSeccomp) {
      this.disableQemuSeccomp = disableQemuSeccomp;
      return this;
    }

    public Builder kernelPathList(List<String> kernelPathList) {
      this.kernelPathList = kernelPathList;
      return this;
    }

    public Builder imagePathList(List<String> imagePathList) {
      this.imagePathList = imagePathList;
      return this;
    }

    public Builder initrdPathList(List<String> initrdPathList) {
      this.initrdPathList = initrdPathList;
      return this;
    }

    public Builder firmwarePathList(List<String> firmwarePathList) {
      this.firmwarePathList = firmwarePathList;
      return this;
    }

    public Builder entropySourceList(List<String> entropySourceList) {
      this.entropySourceList = entropySourceList;
      return this;
    }

    public Builder configPathList(List<String> configPathList) {
      this.configPathList = configPathList;
      return this;
    }

    /** The settings; may be called repeatedly. */
    public LiveSettings build() {
      return new LiveSettings(
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
}
