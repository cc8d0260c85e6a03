package org.vmm4j.core.api;

import java.nio.file.Path;
import java.util.Objects;
import org.vmm4j.devices.DeviceKind;

/**
 * A vhost-user device for {@link SandboxDevices#plugVhostUser}: a daemon serves it on a unix
 * socket, and QEMU connects to it as a client. Guest memory must be shared with the daemon (it maps
 * it): without that the plug is refused, since the guest would hang.
 */
public sealed interface VhostUserSpec {
  /** The daemon's socket. */
  Path socket();

  /** The device's kind ({@code DeviceState.Type}). */
  DeviceKind kind();

  /** A disk ({@code vhost-user-blk-pci}), e.g. from {@code qemu-storage-daemon}. */
  record Blk(Path socket) implements VhostUserSpec {
    public Blk {
      Objects.requireNonNull(socket, "socket");
    }

    @Override
    public DeviceKind kind() {
      return DeviceKind.VHOST_USER_BLK;
    }
  }

  /** A SCSI controller ({@code vhost-user-scsi-pci}), e.g. from SPDK. */
  record Scsi(Path socket) implements VhostUserSpec {
    public Scsi {
      Objects.requireNonNull(socket, "socket");
    }

    @Override
    public DeviceKind kind() {
      return DeviceKind.VHOST_USER_SCSI;
    }
  }

  /**
   * A file system ({@code vhost-user-fs-pci}) from virtiofsd.
   *
   * @param tag the mount tag
   * @param cacheSizeMiB the DAX window, 0 for none (QEMU 7.2 has none: anything else is refused)
   */
  record Fs(Path socket, String tag, long cacheSizeMiB) implements VhostUserSpec {
    public Fs {
      Objects.requireNonNull(socket, "socket");
      Objects.requireNonNull(tag, "tag");
      if (tag.isEmpty() || cacheSizeMiB < 0) {
        throw new IllegalArgumentException("vhost-user-fs: empty tag or cache size < 0");
      }
    }

    @Override
    public DeviceKind kind() {
      return DeviceKind.VHOST_USER_FS;
    }
  }
}
