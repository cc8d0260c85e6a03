package org.vmm4j.core.api;

import java.util.List;

/**
 * The caller asked for something invalid or impossible: an invalid config, id, spec or value, an
 * unknown device or container, a plug the sandbox has no room or support for. Nothing was changed
 * (unless {@link #leftInPlace()} says what stayed). Fault {@link Vmm4jException.Fault#REQUEST};
 * subclasses say more.
 */
public non-sealed class InvalidRequestException extends Vmm4jException {
  private static final long serialVersionUID = 1L;

  public InvalidRequestException(String message) {
    this(message, null, List.of());
  }

  public InvalidRequestException(String message, Throwable cause) {
    this(message, cause, List.of());
  }

  public InvalidRequestException(String message, Throwable cause, List<String> leftInPlace) {
    super(message, cause, leftInPlace);
  }

  @Override
  public final Fault fault() {
    return Fault.REQUEST;
  }
}
