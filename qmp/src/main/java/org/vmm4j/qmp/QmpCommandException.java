package org.vmm4j.qmp;

/** QEMU rejected a command: it answered {@code {"error":{"class":..,"desc":..}}}. */
public final class QmpCommandException extends QmpException {
  private final transient Command<?> command;
  private final String errorClassName;
  private final String desc;

  QmpCommandException(Command<?> command, String errorClassName, String desc) {
    super(CommandText.describe(command) + ": " + desc + " (" + errorClassName + ")", null);
    this.command = command;
    this.errorClassName = errorClassName;
    this.desc = desc;
  }

  /** The command QEMU rejected, as it was sent. */
  public Command<?> command() {
    return command;
  }

  /** The error class; {@link QmpErrorClass#OTHER} for one this client does not know. */
  public QmpErrorClass errorClass() {
    return QmpErrorClass.of(errorClassName);
  }

  /** The error class exactly as QEMU named it, e.g. {@code GenericError}. */
  public String errorClassName() {
    return errorClassName;
  }

  /** QEMU's human-readable description. Show it; do not parse it (it changes across versions). */
  public String desc() {
    return desc;
  }
}
