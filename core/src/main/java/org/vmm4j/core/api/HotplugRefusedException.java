package org.vmm4j.core.api;

import java.util.List;

/**
 * A hotplug or unplug was refused before QEMU was changed (or after the transaction's steps were
 * rolled back, which the message says): the device is plugged already or unknown, it would exceed a
 * limit (vCPUs, memory slots, maxmem, free slots), hang the guest (vhost-user without shared
 * memory), crash QEMU (a CPU or PCI plug after a CPU unplug under TCG), or ask for something this
 * QEMU or host lacks, or write a disk another sandbox has ({@link DiskInUseException}).
 */
public sealed class HotplugRefusedException extends InvalidRequestException
    permits DiskInUseException {
  private static final long serialVersionUID = 1L;

  public HotplugRefusedException(String message) {
    super(message);
  }

  public HotplugRefusedException(String message, Throwable cause) {
    super(message, cause);
  }

  public HotplugRefusedException(String message, Throwable cause, List<String> leftInPlace) {
    super(message, cause, leftInPlace);
  }
}
