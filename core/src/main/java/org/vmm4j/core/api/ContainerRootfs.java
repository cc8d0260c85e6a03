package org.vmm4j.core.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A container's root file system ({@link ContainerSpec#rootfs()}): a host block device or image
 * file hot-plugged into the sandbox as a disk (Kata's {@code Rootfs.BlockDeviceID}), or a directory
 * the guest reaches through the sandbox's shared file system.
 */
public sealed interface ContainerRootfs {
  /** The host path: the block device, image file or directory. */
  Path source();

  /**
   * A block device or image file, hot-plugged as a disk (shared with other containers using it).
   */
  static ContainerRootfs disk(Path source, String fsType) {
    return new Disk(source, fsType, false);
  }

  /** A directory on the sandbox's shared file system (nothing is plugged). */
  static ContainerRootfs directory(Path dir) {
    return new Directory(dir);
  }

  /**
   * A block device or image file.
   *
   * @param fsType the file system on it ({@code RootfsState.FsType}, e.g. {@code ext4})
   * @param readOnly the guest may only read it (when this container is the first to plug it)
   */
  record Disk(Path source, String fsType, boolean readOnly) implements ContainerRootfs {
    public Disk {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(fsType, "fsType");
    }
  }

  /** A directory on the sandbox's shared file system. */
  record Directory(Path source) implements ContainerRootfs {
    public Directory {
      Objects.requireNonNull(source, "source");
    }
  }
}
