package org.vmm4j.devices;

/** A VFIO host device, or its IOMMU group, cannot be found or read in sysfs. */
public final class VfioDiscoveryException extends DevicesException {
  private static final long serialVersionUID = 1L;

  public VfioDiscoveryException(String message) {
    super(message);
  }

  public VfioDiscoveryException(String message, Throwable cause) {
    super(message, cause);
  }
}
