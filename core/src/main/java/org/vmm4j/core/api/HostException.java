package org.vmm4j.core.api;

import java.util.List;

/**
 * The host failed or lacks what an operation needs: a device node, a daemon, a network namespace, a
 * netlink request, the file system under the state root. Fault {@link Vmm4jException.Fault#HOST};
 * subclasses say more.
 */
public non-sealed class HostException extends Vmm4jException {
  private static final long serialVersionUID = 1L;

  public HostException(String message) {
    this(message, null, List.of());
  }

  public HostException(String message, Throwable cause) {
    this(message, cause, List.of());
  }

  public HostException(String message, Throwable cause, List<String> leftInPlace) {
    super(message, cause, leftInPlace);
  }

  @Override
  public final Fault fault() {
    return Fault.HOST;
  }
}
