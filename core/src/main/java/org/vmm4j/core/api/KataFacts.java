package org.vmm4j.core.api;

import java.util.List;
import org.vmm4j.persist.HypervisorConfig;

/**
 * What Kata's persisted {@code HypervisorConfig} implies beyond its fields, shared by the defaults,
 * the validation rules and {@link org.vmm4j.core.api.HypervisorConfig}: the machine type,
 * virtio-fs, the image on nvdimm, VM templating; and Kata's spellings of the shared file systems
 * and block drivers; and how a Go slice reads.
 */
public final class KataFacts {
  /** Shared-FS names as Kata spells them. */
  public static final String VIRTIO_9P = "virtio-9p";

  public static final String VIRTIO_FS = "virtio-fs";

  /** Block device drivers as Kata spells them. */
  public static final String VIRTIO_SCSI = "virtio-scsi";

  public static final String VIRTIO_BLK = "virtio-blk";

  /** The shared file systems Kata knows. */
  public static final List<String> SHARED_FS = List.of(VIRTIO_9P, VIRTIO_FS);

  /** The block device drivers Kata knows on amd64. */
  public static final List<String> BLOCK_DRIVERS =
      List.of(VIRTIO_SCSI, VIRTIO_BLK, "virtio-mmio", "nvdimm");

  private KataFacts() {}

  /** The machine type; {@link MachineType#PC} for "" (Kata's default). */
  public static MachineType machineType(HypervisorConfig k) {
    String type = k.hypervisorMachineType();
    return MachineType.fromName(type.isEmpty() ? "pc" : type)
        .orElseThrow(
            () ->
                ConfigException.invalid(
                    "HypervisorMachineType",
                    type,
                    "is not a known machine type (" + MachineType.known() + ")"));
  }

  /** Whether the shared file system is virtio-fs (anything else is virtio-9p). */
  public static boolean usesVirtioFs(HypervisorConfig k) {
    return VIRTIO_FS.equals(k.sharedFs());
  }

  /** Whether the rootfs image is a nvdimm ({@code ImagePath} set, nvdimm not disabled). */
  public static boolean imageOnNvdimm(HypervisorConfig k) {
    return !k.imagePath().isEmpty() && !k.disableImageNvdimm();
  }

  /** Whether this VM is created for, or from, a VM template. */
  public static boolean templating(HypervisorConfig k) {
    return k.bootToBeTemplate() || k.bootFromTemplate();
  }

  /**
   * A Go slice as a Java list: {@code null} (Go's nil) is empty; otherwise an immutable copy (no
   * copy when it already is one). {@link org.vmm4j.core.api.HypervisorConfig#orEmpty} is the same.
   */
  public static <T> List<T> orEmpty(List<T> slice) {
    return slice == null ? List.of() : List.copyOf(slice);
  }
}
