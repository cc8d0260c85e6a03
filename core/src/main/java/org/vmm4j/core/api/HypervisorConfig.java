package org.vmm4j.core.api;

import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The live hypervisor configuration of one sandbox, Kata 1.13's {@code HypervisorConfig} for QEMU
 * on amd64, immutable: {@link #kata()} is Kata's persisted {@code HypervisorConfig} itself (the
 * record written to {@code persist.json}, field for field) and {@link #live()} holds the few
 * settings that are not persisted ({@link LiveSettings}). Load one with {@code
 * org.vmm4j.core.ConfigLoader}, or build one; {@code ConfigLoader.validate} applies the defaults
 * and checks every rule (a sandbox's start does it too):
 *
 * <pre>{@code
 * HypervisorConfig config =
 *     HypervisorConfig.of(
 *             HypervisorConfig.kataBuilder()
 *                 .kernelPath("/opt/kata/vmlinuz")
 *                 .initrdPath("/opt/kata/initrd.img")
 *                 .memorySize(512)
 *                 .build())
 *         .withLive(LiveSettings.builder().accelerator(Accelerator.TCG).build());
 * HypervisorConfig bigger = config.editKata(k -> k.numVcpus(4).defaultMaxVcpus(4));
 * }</pre>
 *
 * <p><b>Kata's fields</b> keep Go's types and zero values: every Go integer is a {@code long}, a Go
 * string a non-null {@code String} ({@code ""} is the zero value), a Go {@code []string} a list or
 * {@code null} for Go's nil (so a persisted {@code null} and {@code []} each come back as they
 * were). Code reading a list treats nil as empty through {@link #orEmpty}. The fields' meaning is
 * Kata's; vmm4j's JSON form ({@code org.vmm4j.core.ConfigLoader}) names each field, Kata's and
 * live, by its Go name ({@code NumVCPUs}, {@code KernelParams}, ...).
 *
 * @param kata Kata's persisted {@code HypervisorConfig}
 * @param live the settings that are not persisted
 */
public record HypervisorConfig(org.vmm4j.persist.HypervisorConfig kata, LiveSettings live) {

  /** Shared-FS names as Kata spells them. */
  public static final String VIRTIO_9P = KataFacts.VIRTIO_9P;

  public static final String VIRTIO_FS = KataFacts.VIRTIO_FS;

  /** Block device drivers as Kata spells them. */
  public static final String VIRTIO_SCSI = KataFacts.VIRTIO_SCSI;

  public static final String VIRTIO_BLK = KataFacts.VIRTIO_BLK;

  public HypervisorConfig {
    Objects.requireNonNull(kata, "kata");
    Objects.requireNonNull(live, "live");
  }

  /** Kata's fields {@code kata}, the live settings at their defaults. */
  public static HypervisorConfig of(org.vmm4j.persist.HypervisorConfig kata) {
    return new HypervisorConfig(kata, LiveSettings.defaults());
  }

  /** A builder of Kata's fields, each at its Go zero value, for {@link #of}. */
  public static org.vmm4j.persist.HypervisorConfig.Builder kataBuilder() {
    return org.vmm4j.persist.HypervisorConfig.builder();
  }

  /** Every field at its zero value (not a valid config: it has no kernel). */
  public static HypervisorConfig zero() {
    return of(kataBuilder().build());
  }

  /** This config with Kata's fields {@code kata}. */
  public HypervisorConfig withKata(org.vmm4j.persist.HypervisorConfig kata) {
    return new HypervisorConfig(kata, live);
  }

  /** This config with the live settings {@code live}. */
  public HypervisorConfig withLive(LiveSettings live) {
    return new HypervisorConfig(kata, live);
  }

  /** This config with Kata's fields changed by {@code edit}, e.g. {@code k -> k.numVcpus(2)}. */
  public HypervisorConfig editKata(UnaryOperator<org.vmm4j.persist.HypervisorConfig.Builder> edit) {
    return withKata(edit.apply(kata.toBuilder()).build());
  }

  /**
   * This config with the live settings changed by {@code edit}, e.g. {@code l -> l.iommu(true)}.
   */
  public HypervisorConfig editLive(UnaryOperator<LiveSettings.Builder> edit) {
    return withLive(edit.apply(live.toBuilder()).build());
  }

  /**
   * The persisted {@code HypervisorConfig} ({@code SandboxConfig.HypervisorConfig} of {@code
   * persist.json}): {@link #kata()}.
   */
  public org.vmm4j.persist.HypervisorConfig toPersisted() {
    return kata;
  }

  /** The live config of a persisted one: {@link #of}, the live settings at their defaults. */
  public static HypervisorConfig fromPersisted(org.vmm4j.persist.HypervisorConfig persisted) {
    return of(persisted);
  }

  /** The machine type; {@link MachineType#PC} for "" (Kata's default). */
  public MachineType machineType() {
    return KataFacts.machineType(kata);
  }

  /** Whether the shared file system is virtio-fs (anything else is virtio-9p). */
  public boolean usesVirtioFs() {
    return KataFacts.usesVirtioFs(kata);
  }

  /** Whether the rootfs image is a nvdimm ({@code ImagePath} set, nvdimm not disabled). */
  public boolean imageOnNvdimm() {
    return KataFacts.imageOnNvdimm(kata);
  }

  /** Whether this VM is created for, or from, a VM template. */
  public boolean templating() {
    return KataFacts.templating(kata);
  }

  /**
   * A Go slice as a Java list: {@code null} (Go's nil) is empty; otherwise an immutable copy (no
   * copy when it already is one).
   */
  public static <T> List<T> orEmpty(List<T> slice) {
    return KataFacts.orEmpty(slice);
  }
}
