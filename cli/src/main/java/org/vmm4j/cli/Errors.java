package org.vmm4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns exceptions into the contract of docs/cli.md: one line on stderr naming the operation, and
 * an exit code. The line may quote text from QEMU: control characters are escaped.
 */
final class Errors {
  private Errors() {}

  /** Usage errors: one line, exit 2. */
  static final class BadUsage implements IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException ex, String[] args) {
      CommandLine cl = ex.getCommandLine();
      PrintWriter err = cl.getErr();
      Object command = cl.getCommand();
      if (command instanceof HotplugCommand h && ex instanceof UnmatchedArgumentException u) {
        // "vmm4j hotplug sb1 floppy ...": the first unmatched word is the kind
        List<String> words = u.getUnmatched();
        err.println(
            "vmm4j hotplug "
                + h.id
                + ": unknown KIND "
                + quoted(words.get(0))
                + ": "
                + HotplugCommand.kinds(cl.getCommandSpec()));
      } else {
        err.println(operation(cl) + ": " + oneLine(ex.getMessage()));
      }
      err.println("Try '" + helpCommand(cl) + " --help' for usage.");
      return Vmm4j.EXIT_BAD_INPUT;
    }

    /** The command whose help fits: {@code vmm4j hotplug ID cpu} for a kind, with the id given. */
    private static String helpCommand(CommandLine cl) {
      if (cl.getCommand() instanceof HotplugKind k && k.hotplug != null) {
        return HotplugCommand.usage(k.hotplug.id != null ? k.hotplug.id : "ID", cl);
      }
      return cl.getCommandSpec().qualifiedName();
    }

    /** "vmm4j run", "vmm4j hotplug sb1 cpu" (the sandbox id when picocli has parsed it). */
    private static String operation(CommandLine cl) {
      if (cl.getCommand() instanceof HotplugKind k && k.hotplug != null && k.hotplug.id != null) {
        return "vmm4j hotplug " + k.hotplug.id + " " + cl.getCommandName();
      }
      return cl.getCommandSpec().qualifiedName();
    }
  }

  /** {@code s}, or {@code ""} when it is empty (so that an empty value shows). */
  static String quoted(String s) {
    return s == null || s.isEmpty() || s.isBlank() ? "\"" + s + "\"" : s;
  }

  /**
   * Failures of a running command. A {@link CliException} carries its own exit code; the store's
   * refusal of a path is bad input (exit 2); anything else is an unexpected failure (exit 1) and
   * shows its stack trace with --verbose.
   */
  static final class Failure implements IExecutionExceptionHandler {
    private final Vmm4j top;

    Failure(Vmm4j top) {
      this.top = top;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
      PrintWriter err = cl.getErr();
      int code =
          ex instanceof CliException c
              ? c.exitCode()
              : SandboxErrors.refusedPath(ex) ? Vmm4j.EXIT_BAD_INPUT : Vmm4j.EXIT_FAILED;
      // "vmm4j state: ...", "vmm4j hotplug block: ..."; the operation is named once
      String op = cl.getCommandSpec().qualifiedName().replaceFirst("^vmm4j ", "");
      String said = oneLine(describe(ex));
      err.println("vmm4j " + named(op, said));
      if (top.verbose()) {
        for (Throwable t = ex.getCause(); t != null; t = t.getCause()) {
          String cause = oneLine(describe(t));
          if (!said.contains(cause)) { // a wrapper often says what it wraps: once is enough
            err.println("  caused by: " + cause);
          }
          said = cause;
        }
        if (!(ex instanceof CliException)) {
          StringWriter trace = new StringWriter();
          ex.printStackTrace(new PrintWriter(trace));
          err.print(TerminalText.lines(trace.toString()));
        }
      }
      return code;
    }
  }

  /**
   * {@code "op: message"}, unless the message already starts with the operation's name, or with its
   * command word ({@code "hotplug sb1 block: ..."} for {@code "hotplug block"}).
   */
  static String named(String op, String message) {
    String word = op.split(" ", 2)[0];
    return startsWithWord(message, op) || startsWithWord(message, word)
        ? message
        : op + ": " + message;
  }

  private static boolean startsWithWord(String message, String word) {
    return message.startsWith(word)
        && (message.length() == word.length() || " :".indexOf(message.charAt(word.length())) >= 0);
  }

  static String describe(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }

  /**
   * {@code s} on one line, safe on a terminal (control characters escaped: {@link TerminalText}).
   */
  static String oneLine(String s) {
    return TerminalText.oneLine(s);
  }
}
