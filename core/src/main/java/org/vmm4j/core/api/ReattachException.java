package org.vmm4j.core.api;

/**
 * A persisted sandbox could not be reattached: it is not running, its QMP sockets cannot be
 * reached, or the QEMU serving them is not the one its state names (the pid from the socket's peer
 * credentials, the UUID).
 */
public final class ReattachException extends StateException {
  private static final long serialVersionUID = 1L;

  public ReattachException(String message) {
    super(message);
  }

  public ReattachException(String message, Throwable cause) {
    super(message, cause);
  }
}
