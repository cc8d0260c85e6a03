package org.vmm4j.qmp;

/**
 * The thread waiting for a reply or an event was interrupted; its interrupt flag is set again. The
 * command may still run in QEMU.
 */
public final class QmpInterruptedException extends QmpException {

  QmpInterruptedException(String operation, Exception cause) {
    super(operation + ": interrupted while waiting", cause);
  }
}
