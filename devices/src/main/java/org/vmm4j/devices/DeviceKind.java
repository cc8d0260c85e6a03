package org.vmm4j.devices;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of device the manager keeps, with the {@code DeviceState.Type} Kata writes. */
public enum DeviceKind {
  /** A device only passed to containers (no hotplug): counters only. */
  GENERIC("generic"),
  /** A block device or image file, hot-plugged as virtio-blk or SCSI. */
  BLOCK("block"),
  /** A VFIO device: every member of an IOMMU group. */
  VFIO("vfio"),
  /** A vhost-user-blk disk served by a daemon on a unix socket. */
  VHOST_USER_BLK("vhost-user-blk-pci"),
  /** A vhost-user SCSI controller served by a daemon. */
  VHOST_USER_SCSI("vhost-user-scsi-pci"),
  /** A vhost-user network device ({@code virtio-net-pci} on a vhost-user netdev). */
  VHOST_USER_NET("virtio-net-pci"),
  /** A vhost-user file system (virtiofsd); Kata's {@code DeviceType} name. */
  VHOST_USER_FS("vhost-user-fs-pci");

  private final String kataType;

  DeviceKind(String kataType) {
    this.kataType = kataType;
  }

  /** {@code DeviceState.Type}, e.g. {@code block}, {@code vhost-user-blk-pci}. */
  public String kataType() {
    return kataType;
  }

  /**
   * Whether this is a vhost-user device (needs guest memory shared with its daemon, else the guest
   * hangs).
   */
  public boolean isVhostUser() {
    return this == VHOST_USER_BLK
        || this == VHOST_USER_SCSI
        || this == VHOST_USER_NET
        || this == VHOST_USER_FS;
  }

  /** The kind whose {@link #kataType()} is {@code type}. */
  public static Optional<DeviceKind> fromKataType(String type) {
    return Arrays.stream(values()).filter(k -> k.kataType.equals(type)).findFirst();
  }
}
