package org.vmm4j.core.api;

/**
 * What a plugged {@link Device} is. {@link #cliName()} is the kind {@code vmm4j hotplug} takes and
 * prints.
 */
public enum DeviceKind {
  /** A disk: virtio-blk on a PCI slot, or a SCSI disk on the sandbox's virtio-scsi controller. */
  BLOCK("block"),
  /** Every member of a VFIO device's IOMMU group. */
  VFIO("vfio"),
  /** A vhost-user-blk disk served by a daemon. */
  VHOST_USER_BLK("vhost-user-blk"),
  /** A vhost-user-scsi controller served by a daemon. */
  VHOST_USER_SCSI("vhost-user-scsi"),
  /** A vhost-user-fs (virtio-fs) share served by virtiofsd. */
  VHOST_USER_FS("vhost-user-fs"),
  /** A network endpoint whose NIC a vhost-user daemon serves. */
  VHOST_USER_NET("vhost-user-net"),
  /** A network endpoint on a tap or macvtap (a veth, tap, tuntap, macvtap, ... of the pod). */
  NETWORK("net"),
  /** A hot-plugged vCPU. */
  VCPU("cpu"),
  /** A hot-plugged memory device (DIMM). */
  MEMORY("memory");

  private final String cliName;

  DeviceKind(String cliName) {
    this.cliName = cliName;
  }

  /** {@code block}, {@code vfio}, ..., {@code net}, {@code cpu}, {@code memory}. */
  public String cliName() {
    return cliName;
  }
}
