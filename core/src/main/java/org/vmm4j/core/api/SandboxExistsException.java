package org.vmm4j.core.api;

/**
 * A sandbox with this id exists already: it has a persisted state, or a VM directory without state
 * (left by a start that was killed: {@link Sandbox#delete} removes it).
 */
public final class SandboxExistsException extends InvalidRequestException {
  private static final long serialVersionUID = 1L;

  private final String sandboxId;

  public SandboxExistsException(String sandboxId, String message) {
    super(message);
    this.sandboxId = sandboxId;
  }

  public String sandboxId() {
    return sandboxId;
  }
}
