package org.vmm4j.core.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A device of a container's OCI spec ({@code linux.devices}): a host block device or image file,
 * hot-plugged as a disk and recorded in the container's {@code DeviceMaps} (Kata's {@code
 * ContainerDevice}).
 *
 * @param hostPath the block device or image file
 * @param containerPath where the container sees it
 * @param fileMode its mode in the container (Go's {@code os.FileMode}: {@code os.ModeDevice|0660})
 * @param uid its owner in the container's user namespace
 * @param gid its group
 */
public record ContainerDevice(
    Path hostPath, String containerPath, long fileMode, long uid, long gid) {
  /** Go's {@code os.ModeDevice}. */
  public static final long MODE_DEVICE = 1L << 26;

  public ContainerDevice {
    Objects.requireNonNull(hostPath, "hostPath");
    Objects.requireNonNull(containerPath, "containerPath");
    if (uid < 0 || uid > 0xFFFF_FFFFL || gid < 0 || gid > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException(
          "container device " + containerPath + ": uid " + uid + " / gid " + gid + " out of range");
    }
  }

  /** {@code hostPath} at {@code containerPath}, mode {@code os.ModeDevice|0660}, owned by root. */
  public static ContainerDevice of(Path hostPath, String containerPath) {
    return new ContainerDevice(hostPath, containerPath, MODE_DEVICE | 0660, 0, 0);
  }
}
