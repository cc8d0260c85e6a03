package org.vmm4j.core.internal.hotplug;

import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalInt;
import org.vmm4j.devices.DeviceKind;
import org.vmm4j.devices.Placement;

/**
 * A vhost-user device to hot-plug: a daemon serves it on a unix socket. The chardev is {@code
 * <devId>}, the device {@code virtio-<devId>} (Kata's vhost-user-blk naming), a network device's
 * netdev {@code net-<devId>}.
 */
public sealed interface VhostUserRequest {
  /** The device's id (Kata: {@code blk-<16 hex>}); at most 24 characters. */
  String devId();

  /** The daemon's socket. */
  Path socket();

  /** Where the PCI device goes. */
  Placement placement();

  /** The kind ({@code DeviceState.Type}). */
  DeviceKind kind();

  /** The QEMU device id. */
  default String deviceId() {
    return "virtio-" + devId();
  }

  /** A disk ({@code vhost-user-blk-pci}), e.g. from {@code qemu-storage-daemon}. */
  record Blk(String devId, Path socket, Placement placement, OptionalInt numQueues)
      implements VhostUserRequest {
    public Blk {
      check(devId, socket, placement);
      Objects.requireNonNull(numQueues, "numQueues");
    }

    @Override
    public DeviceKind kind() {
      return DeviceKind.VHOST_USER_BLK;
    }
  }

  /** A SCSI controller ({@code vhost-user-scsi-pci}), e.g. from SPDK. */
  record Scsi(String devId, Path socket, Placement placement) implements VhostUserRequest {
    public Scsi {
      check(devId, socket, placement);
    }

    @Override
    public DeviceKind kind() {
      return DeviceKind.VHOST_USER_SCSI;
    }
  }

  /**
   * A file system ({@code vhost-user-fs-pci}) from virtiofsd.
   *
   * @param tag the mount tag the guest mounts
   * @param cacheSizeMiB the DAX window; 0 for none (QEMU 7.2 has no DAX: anything else is refused)
   */
  record Fs(String devId, Path socket, String tag, long cacheSizeMiB, Placement placement)
      implements VhostUserRequest {
    public Fs {
      check(devId, socket, placement);
      Objects.requireNonNull(tag, "tag");
      if (tag.isEmpty() || cacheSizeMiB < 0) {
        throw new IllegalArgumentException("vhost-user-fs " + devId + ": empty tag or size < 0");
      }
    }

    @Override
    public DeviceKind kind() {
      return DeviceKind.VHOST_USER_FS;
    }
  }

  /**
   * A network device: a {@code vhost-user} netdev and a {@code virtio-net-pci} with {@code mac}.
   */
  record Net(String devId, Path socket, String mac, Placement placement)
      implements VhostUserRequest {
    public Net {
      check(devId, socket, placement);
      Objects.requireNonNull(mac, "mac");
    }

    @Override
    public DeviceKind kind() {
      return DeviceKind.VHOST_USER_NET;
    }
  }

  private static void check(String devId, Path socket, Placement placement) {
    Objects.requireNonNull(devId, "devId");
    Objects.requireNonNull(socket, "socket");
    Objects.requireNonNull(placement, "placement");
    if (!BlockRequest.ID.matcher(devId).matches() || devId.length() > 24) {
      throw new IllegalArgumentException(
          "vhost-user device id \"" + devId + "\": a letter, then up to 23 of [A-Za-z0-9_.-]");
    }
  }
}
