package org.vmm4j.core.api;

/** The store has no state for the sandbox (it never existed here, or was deleted). */
public final class SandboxNotFoundException extends StateException {
  private static final long serialVersionUID = 1L;

  private final String sandboxId;

  public SandboxNotFoundException(String sandboxId, String message, Throwable cause) {
    super(message, cause);
    this.sandboxId = sandboxId;
  }

  /** The sandbox asked for. */
  public String sandboxId() {
    return sandboxId;
  }
}
