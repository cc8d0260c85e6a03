package org.vmm4j.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into CLI.md's contract: one line on stderr naming the operation, and an exit
 * code.
 */
final class Errors {
  private Errors() {}

  /** Usage errors: one line, exit 2. */
  static final class BadUsage implements IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException ex, String[] args) {
      CommandLine cl = ex.getCommandLine();
      PrintWriter err = cl.getErr();
      err.println(cl.getCommandName() + ": " + oneLine(ex.getMessage()));
      err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for usage.");
      return Vmm4j.EXIT_BAD_INPUT;
    }
  }

  /**
   * Failures of a running command. A {@link CliException} carries its own exit code; anything else
   * is an unexpected failure (exit 1) and shows its stack trace with --verbose.
   */
  static final class Failure implements IExecutionExceptionHandler {
    private final Vmm4j top;

    Failure(Vmm4j top) {
      this.top = top;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
      PrintWriter err = cl.getErr();
      int code = ex instanceof CliException c ? c.exitCode() : Vmm4j.EXIT_FAILED;
      err.println("vmm4j " + named(cl.getCommandName(), oneLine(describe(ex))));
      if (top.verbose()) {
        for (Throwable t = ex.getCause(); t != null; t = t.getCause()) {
          err.println("  caused by: " + oneLine(describe(t)));
        }
        if (!(ex instanceof CliException)) {
          ex.printStackTrace(err);
        }
      }
      return code;
    }
  }

  /** {@code "op: message"}, unless the message already starts with the operation's name. */
  static String named(String op, String message) {
    boolean hasOp =
        message.startsWith(op)
            && (message.length() == op.length() || " :".indexOf(message.charAt(op.length())) >= 0);
    return hasOp ? message : op + ": " + message;
  }

  static String describe(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replace("\r", " ").replace("\n", " ").strip();
  }
}
