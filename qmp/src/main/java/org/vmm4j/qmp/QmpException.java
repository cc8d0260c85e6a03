package org.vmm4j.qmp;

/**
 * The root of every failure of the QMP client. Messages name the operation and the object, e.g.
 * {@code device_add driver=virtio-blk-pci id=blk0 bus=pcie.0: Bus 'pcie.0' does not support
 * hotplugging (GenericError)}.
 *
 * <ul>
 *   <li>{@link QmpCommandException}: QEMU answered with an error (class, desc, the command sent);
 *   <li>{@link QmpTimeoutException}: a deadline passed (a reply, the greeting, an event);
 *   <li>{@link QmpConnectionException}: no connection could be made ({@link
 *       QmpConnectTimeoutException}: QEMU did not accept it in time), or it was lost ({@link
 *       QmpDisconnectedException});
 *   <li>{@link QmpProtocolException}: QEMU sent something that is not QMP;
 *   <li>{@link QmpInterruptedException}: the waiting thread was interrupted.
 * </ul>
 */
public abstract sealed class QmpException extends RuntimeException
    permits QmpCommandException,
        QmpTimeoutException,
        QmpConnectionException,
        QmpProtocolException,
        QmpInterruptedException {

  QmpException(String message, Throwable cause) {
    super(message, cause);
  }
}
