package org.vmm4j.core.internal.hotplug;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.vmm4j.core.api.BlockDriver;
import org.vmm4j.core.api.BlockFormat;
import org.vmm4j.devices.Placement;

/**
 * A disk to hot-plug.
 *
 * @param driveId the block node name and {@code BlockDrive.ID} (Kata: {@code drive-<16 hex>}); the
 *     device is {@code virtio-<driveId>}
 * @param file the host file or block device
 * @param format raw or qcow2
 * @param readOnly the guest may only read it
 * @param driver virtio-blk (a PCI device) or virtio-scsi (a disk on {@code scsi0})
 * @param placement for virtio-blk: a bridge slot, a root port, or the root bus (pc)
 * @param cache {@code cache.direct}/{@code cache.no-flush} when the config sets them
 * @param serial the disk's serial, what the guest shows in {@code /sys/block/<disk>/serial}
 *     (virtio-blk keeps 20 bytes)
 */
public record BlockRequest(
    String driveId,
    String file,
    BlockFormat format,
    boolean readOnly,
    BlockDriver driver,
    Placement placement,
    Optional<BlockCache> cache,
    String serial) {
  /** QEMU's rule for ids and node names (letters first; 31 characters keep Kata's bound). */
  static final Pattern ID = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,30}");

  /** virtio-blk keeps this many bytes of a serial. */
  public static final int SERIAL_BYTES = 20;

  public BlockRequest {
    Objects.requireNonNull(driveId, "driveId");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(placement, "placement");
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(serial, "serial");
    if (!ID.matcher(driveId).matches()) {
      throw new IllegalArgumentException(
          "drive id \"" + driveId + "\": a letter, then up to 30 of [A-Za-z0-9_.-]");
    }
  }

  /**
   * A writable raw disk with Kata's defaults: no cache options, the serial {@link
   * #defaultSerial(String)}.
   */
  public static BlockRequest of(
      String driveId, String file, BlockDriver driver, Placement placement) {
    return new BlockRequest(
        driveId,
        file,
        BlockFormat.RAW,
        false,
        driver,
        placement,
        Optional.empty(),
        defaultSerial(driveId));
  }

  /** The drive id without Kata's {@code drive-} prefix, at most 20 characters. */
  public static String defaultSerial(String driveId) {
    String s = driveId.startsWith("drive-") ? driveId.substring(6) : driveId;
    return s.length() > SERIAL_BYTES ? s.substring(0, SERIAL_BYTES) : s;
  }

  public BlockRequest withFormat(BlockFormat f) {
    return new BlockRequest(driveId, file, f, readOnly, driver, placement, cache, serial);
  }

  public BlockRequest withReadOnly(boolean ro) {
    return new BlockRequest(driveId, file, format, ro, driver, placement, cache, serial);
  }

  public BlockRequest withCache(Optional<BlockCache> c) {
    return new BlockRequest(driveId, file, format, readOnly, driver, placement, c, serial);
  }

  public BlockRequest withSerial(String s) {
    return new BlockRequest(driveId, file, format, readOnly, driver, placement, cache, s);
  }

  /** The QEMU device id, {@code virtio-<driveId>} (Kata). */
  public String deviceId() {
    return "virtio-" + driveId;
  }
}
