package org.vmm4j.qmp;

/**
 * The connection ended (EOF, an I/O error, a protocol violation, or {@link QmpClient#close()}).
 * Every pending call fails with it at once; the cause, when there is one, says why (e.g. a {@link
 * QmpProtocolException}).
 */
public final class QmpDisconnectedException extends QmpConnectionException {

  QmpDisconnectedException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The same disconnect, reported for {@code operation} on the calling thread's stack. */
  QmpDisconnectedException forOperation(String operation) {
    Throwable why = getCause() != null ? getCause() : this;
    return new QmpDisconnectedException(operation + ": " + getMessage(), why);
  }
}
