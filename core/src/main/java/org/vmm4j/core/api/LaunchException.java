package org.vmm4j.core.api;

/**
 * A sandbox did not start: QEMU, virtiofsd or a pre-{@code cont} step failed, or QEMU was not ready
 * within the deadline. Everything the start created is gone again (processes, directories, state).
 * The message names the sandbox and the failed step and quotes the end of QEMU's own output, which
 * {@link #qemuOutput()} holds too.
 */
public final class LaunchException extends QemuException {
  private static final long serialVersionUID = 1L;

  private final String qemuOutput;

  public LaunchException(String message, String qemuOutput, Throwable cause) {
    super(message, cause);
    this.qemuOutput = qemuOutput;
  }

  /** The end of QEMU's stdout and stderr ("" when it wrote nothing). */
  public String qemuOutput() {
    return qemuOutput;
  }
}
