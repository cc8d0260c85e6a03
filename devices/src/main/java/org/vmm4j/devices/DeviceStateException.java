package org.vmm4j.devices;

/**
 * An operation does not fit the state of a device or slot: an unknown device, a device removed
 * while attached, a detach of a device that is not attached, a slot held by another device, or a
 * persisted state that cannot be restored.
 */
public final class DeviceStateException extends DevicesException {
  private static final long serialVersionUID = 1L;

  public DeviceStateException(String message) {
    super(message);
  }

  public DeviceStateException(String message, Throwable cause) {
    super(message, cause);
  }
}
