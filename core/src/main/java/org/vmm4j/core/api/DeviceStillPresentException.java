package org.vmm4j.core.api;

import java.util.List;

/**
 * An unplug did not complete: QEMU accepted {@code device_del} but the device is still there after
 * the deadline (q35's ACPI hotplug without a cooperating guest, memory the guest cannot offline, a
 * vCPU not ejected). Its slot, index and backends stay taken ({@link #leftInPlace()}); the state
 * still records the device. Unplugging again later may succeed.
 */
public final class DeviceStillPresentException extends HotplugException {
  private static final long serialVersionUID = 1L;

  private final String deviceId;

  public DeviceStillPresentException(String message, String deviceId, List<String> leftInPlace) {
    super(message, null, leftInPlace);
    this.deviceId = deviceId;
  }

  /** The QEMU id of the device that is still there. */
  public String deviceId() {
    return deviceId;
  }
}
