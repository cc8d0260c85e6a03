package org.vmm4j.qmp;

import java.time.Duration;

/**
 * QEMU did not accept the connection before the connect's deadline: the socket's listen backlog
 * stayed full. QEMU listens with a backlog of one and accepts nothing while it is stopped ({@code
 * SIGSTOP}) or while another client holds the socket, so clients that gave up still fill the queue.
 * Another socket of the same QEMU may still take a connection.
 */
public final class QmpConnectTimeoutException extends QmpConnectionException {
  private final Duration timeout;

  QmpConnectTimeoutException(String message, Duration timeout, Throwable cause) {
    super(message, cause);
    this.timeout = timeout;
  }

  /** The connect's deadline. */
  public Duration timeout() {
    return timeout;
  }
}
