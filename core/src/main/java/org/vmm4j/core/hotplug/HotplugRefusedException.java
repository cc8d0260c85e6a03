package org.vmm4j.core.hotplug;

/**
 * A hotplug was refused before the device was added (steps before the check, e.g. a {@code
 * blockdev-add}, are rolled back): it would exceed a limit (vCPUs, memory slots, maxmem), hang the
 * guest (vhost-user without shared memory: DESIGN decision 10), crash QEMU (a CPU or PCI plug after
 * a CPU unplug under TCG), or ask for something this QEMU lacks.
 */
public final class HotplugRefusedException extends HotplugException {
  private static final long serialVersionUID = 1L;

  public HotplugRefusedException(String message) {
    super(message, null);
  }
}
