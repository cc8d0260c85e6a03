package org.vmm4j.core;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.vmm4j.core.hotplug.BlockDriver;
import org.vmm4j.core.hotplug.BlockFormat;

/**
 * A disk for {@link SandboxDevices#plugDisk}: a host file or block device.
 *
 * @param file the image file or block device
 * @param format raw or qcow2
 * @param readOnly the guest may only read it
 * @param driver virtio-blk (a PCI device) or virtio-scsi (a disk on the sandbox's {@code scsi0});
 *     empty: the sandbox's {@code BlockDeviceDriver}
 */
public record DiskSpec(
    Path file, BlockFormat format, boolean readOnly, Optional<BlockDriver> driver) {
  public DiskSpec {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(driver, "driver");
  }

  /** A writable raw disk on the sandbox's block driver. */
  public static DiskSpec raw(Path file) {
    return new DiskSpec(file, BlockFormat.RAW, false, Optional.empty());
  }

  public DiskSpec withFormat(BlockFormat f) {
    return new DiskSpec(file, f, readOnly, driver);
  }

  public DiskSpec withReadOnly(boolean ro) {
    return new DiskSpec(file, format, ro, driver);
  }

  public DiskSpec withDriver(BlockDriver d) {
    return new DiskSpec(file, format, readOnly, Optional.of(d));
  }
}
