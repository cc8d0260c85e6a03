package org.vmm4j.qmp;

/** No QMP connection could be made (nothing listens, refused, closed during the handshake). */
public sealed class QmpConnectionException extends QmpException
    permits QmpDisconnectedException, QmpConnectTimeoutException {

  QmpConnectionException(String message, Throwable cause) {
    super(message, cause);
  }
}
