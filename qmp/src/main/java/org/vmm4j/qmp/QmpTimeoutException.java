package org.vmm4j.qmp;

import java.time.Duration;

/**
 * A deadline passed: no reply, greeting or event in time. A timeout is not a cancel: QEMU may still
 * execute the command (query its state before retrying). A late reply is consumed and dropped.
 */
public sealed class QmpTimeoutException extends QmpException permits QmpEventTimeoutException {
  private final Duration timeout;

  QmpTimeoutException(String message, Duration timeout) {
    super(message, null);
    this.timeout = timeout;
  }

  /** The deadline that passed. */
  public Duration timeout() {
    return timeout;
  }
}
