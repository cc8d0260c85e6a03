package org.vmm4j.core.api;

/**
 * QEMU (or virtiofsd) was still alive after {@code quit}, SIGTERM and SIGKILL and their deadlines.
 */
public final class StopException extends HostException {
  private static final long serialVersionUID = 1L;

  public StopException(String message) {
    super(message);
  }
}
