package org.vmm4j.cli;

/** A command failure with the exit code docs/cli.md assigns to it. */
public final class CliException extends RuntimeException {
  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** Bad input: exit 2. */
  public static CliException badInput(String message) {
    return new CliException(Vmm4j.EXIT_BAD_INPUT, message);
  }

  /** The operation failed: exit 1. */
  public static CliException failed(String message, Throwable cause) {
    return new CliException(Vmm4j.EXIT_FAILED, message, cause);
  }

  public int exitCode() {
    return exitCode;
  }
}
