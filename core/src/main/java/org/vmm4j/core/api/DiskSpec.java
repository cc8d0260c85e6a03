package org.vmm4j.core.api;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.vmm4j.devices.Placement;

/**
 * A disk for {@link SandboxDevices#plugDisk}: a host file or block device.
 *
 * @param file the image file or block device
 * @param format raw or qcow2
 * @param readOnly the guest may only read it
 * @param driver virtio-blk (a PCI device) or virtio-scsi (a disk on the sandbox's {@code scsi0});
 *     empty: the sandbox's {@code BlockDeviceDriver}
 * @param placement where a virtio-blk device goes; empty: a pci-bridge slot when the sandbox has a
 *     bridge (Kata's choice), else a root port
 */
public record DiskSpec(
    Path file,
    BlockFormat format,
    boolean readOnly,
    Optional<BlockDriver> driver,
    Optional<Placement> placement) {
  public DiskSpec {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(placement, "placement");
  }

  /** A writable raw disk on the sandbox's block driver, where it goes by default. */
  public static DiskSpec raw(Path file) {
    return new DiskSpec(file, BlockFormat.RAW, false, Optional.empty(), Optional.empty());
  }

  public DiskSpec withFormat(BlockFormat f) {
    return new DiskSpec(file, f, readOnly, driver, placement);
  }

  public DiskSpec withReadOnly(boolean ro) {
    return new DiskSpec(file, format, ro, driver, placement);
  }

  public DiskSpec withDriver(BlockDriver d) {
    return new DiskSpec(file, format, readOnly, Optional.of(d), placement);
  }

  public DiskSpec withPlacement(Placement p) {
    return new DiskSpec(file, format, readOnly, driver, Optional.of(p));
  }
}
