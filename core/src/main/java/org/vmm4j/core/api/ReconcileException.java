package org.vmm4j.core.api;

/**
 * {@link Sandbox#reconcile} could not read the persisted state as devices (an unknown device or
 * endpoint type, a malformed record); nothing was changed.
 */
public final class ReconcileException extends StateException {
  private static final long serialVersionUID = 1L;

  public ReconcileException(String message, Throwable cause) {
    super(message, cause);
  }
}
