package org.vmm4j.testguest;

import java.util.Optional;

/**
 * A block device as the guest sees it ({@code blk}).
 *
 * @param name e.g. {@code vda}, {@code sda}
 * @param sectors the size in 512-byte sectors
 * @param pciPath of the virtio-blk device or SCSI controller, e.g. {@code 05/03}; empty when none
 * @param serial the virtio-blk serial or the SCSI unit serial (VPD page 0x80), spaces as '_'
 * @param hctl the SCSI address {@code H:C:T:L}, for SCSI disks
 * @param sysfsPath the resolved {@code /sys/devices/...} path
 */
public record GuestBlockDevice(
    String name,
    long sectors,
    Optional<String> pciPath,
    Optional<String> serial,
    Optional<String> hctl,
    String sysfsPath) {

  public long sizeBytes() {
    return sectors * 512;
  }
}
