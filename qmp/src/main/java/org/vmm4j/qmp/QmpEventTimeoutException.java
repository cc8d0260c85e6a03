package org.vmm4j.qmp;

import java.time.Duration;

/**
 * An awaited event did not come in time, e.g. no {@code DEVICE_DELETED} after a {@code device_del}
 * that QEMU accepted (q35's ACPI hotplug needs a cooperating guest). The caller should reconcile
 * with QEMU's state ({@code qom-list /machine/peripheral}).
 */
public final class QmpEventTimeoutException extends QmpTimeoutException {
  private final String event;

  QmpEventTimeoutException(String message, String event, Duration timeout) {
    super(message, timeout);
    this.event = event;
  }

  /** The event that was awaited, e.g. {@code DEVICE_DELETED}. */
  public String event() {
    return event;
  }
}
