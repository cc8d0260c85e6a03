package org.vmm4j.qmp;

/**
 * QEMU sent something that is not valid QMP: malformed JSON, a message over the size limit, an
 * error without an id (QEMU's own parser rejected our input), or a reply whose shape does not match
 * the command's typed result. The connection is closed when the stream can no longer be trusted.
 */
public final class QmpProtocolException extends QmpException {

  QmpProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
