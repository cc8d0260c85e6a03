package org.vmm4j.core.api;

import java.util.List;

/**
 * The persisted state does not allow the operation: the sandbox is unknown, its state is corrupt or
 * from a newer vmm4j, another process holds its lock past the deadline, or it is not running
 * (stopped, or QEMU is gone). Fault {@link Vmm4jException.Fault#STATE}; subclasses say more.
 */
public non-sealed class StateException extends Vmm4jException {
  private static final long serialVersionUID = 1L;

  public StateException(String message) {
    this(message, null, List.of());
  }

  public StateException(String message, Throwable cause) {
    this(message, cause, List.of());
  }

  public StateException(String message, Throwable cause, List<String> leftInPlace) {
    super(message, cause, leftInPlace);
  }

  @Override
  public final Fault fault() {
    return Fault.STATE;
  }
}
