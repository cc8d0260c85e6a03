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
 * @param sharedWrite plug it read-write even when another sandbox of the store has the same file
 *     plugged (false: refused with {@link DiskInUseException}, since two guests writing one disk
 *     corrupt it unless it is made for that, e.g. a cluster file system)
 */
public record DiskSpec(
    Path file,
    BlockFormat format,
    boolean readOnly,
    Optional<BlockDriver> driver,
    Optional<Placement> placement,
    boolean sharedWrite) {
  public DiskSpec {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(placement, "placement");
  }

  /**
   * A writable raw disk on the sandbox's block driver, where it goes by default, refused when
   * another sandbox has it.
   */
  public static DiskSpec raw(Path file) {
    return new DiskSpec(file, BlockFormat.RAW, false, Optional.empty(), Optional.empty(), false);
  }

  public DiskSpec withFile(Path f) {
    return new DiskSpec(f, format, readOnly, driver, placement, sharedWrite);
  }

  public DiskSpec withFormat(BlockFormat f) {
    return new DiskSpec(file, f, readOnly, driver, placement, sharedWrite);
  }

  public DiskSpec withReadOnly(boolean ro) {
    return new DiskSpec(file, format, ro, driver, placement, sharedWrite);
  }

  public DiskSpec withDriver(BlockDriver d) {
    return new DiskSpec(file, format, readOnly, Optional.of(d), placement, sharedWrite);
  }

  public DiskSpec withPlacement(Placement p) {
    return new DiskSpec(file, format, readOnly, driver, Optional.of(p), sharedWrite);
  }

  public DiskSpec withSharedWrite(boolean shared) {
    return new DiskSpec(file, format, readOnly, driver, placement, shared);
  }
}
