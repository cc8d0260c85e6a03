package org.vmm4j.devices;

/**
 * The root of every error {@code devices} raises. Messages name the operation, the object and the
 * sandbox, e.g. {@code "sandbox sb1: reserve a slot for virtio-drive-1: no free slot on the pci
 * bridges (pci-bridge-0 at 02: 30 of 30 taken)"}.
 */
public sealed class DevicesException extends RuntimeException
    permits NoFreeSlotException,
        DeviceStateException,
        VfioDiscoveryException,
        PlugsRefusedException {
  private static final long serialVersionUID = 1L;

  public DevicesException(String message) {
    super(message);
  }

  public DevicesException(String message, Throwable cause) {
    super(message, cause);
  }
}
