package org.vmm4j.core.api;

import java.util.List;

/**
 * QEMU failed: it refused a command, did not answer within the deadline, did not start, exited, or
 * kept a device past the deadline. Fault {@link Vmm4jException.Fault#QEMU}; subclasses say more.
 */
public non-sealed class QemuException extends Vmm4jException {
  private static final long serialVersionUID = 1L;

  public QemuException(String message) {
    this(message, null, List.of());
  }

  public QemuException(String message, Throwable cause) {
    this(message, cause, List.of());
  }

  public QemuException(String message, Throwable cause, List<String> leftInPlace) {
    super(message, cause, leftInPlace);
  }

  @Override
  public final Fault fault() {
    return Fault.QEMU;
  }
}
