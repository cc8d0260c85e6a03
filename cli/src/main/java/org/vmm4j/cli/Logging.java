package org.vmm4j.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command's logging (logback.xml). Without {@code --verbose}: vmm4j's warnings only, one line
 * each and no stack trace (what went wrong with the command itself is its one error line; a warning
 * says what the command did beside it, e.g. what a delete of a broken state could not look for).
 * With {@code --verbose}: vmm4j's debug lines and everyone's info lines, stack traces included.
 * Messages and stack traces are printed with control characters escaped ({@link TerminalText}):
 * they may carry text from QEMU.
 */
final class Logging {
  private static volatile boolean traces;

  private Logging() {}

  /** Sets the levels for this process (when logback is the binding). */
  static void configure(boolean verbose) {
    traces = verbose;
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(verbose ? Level.INFO : Level.OFF);
      context.getLogger("org.vmm4j").setLevel(verbose ? Level.DEBUG : Level.WARN);
    }
  }

  /** {@code %safeMsg}: the message, one line, control characters escaped. */
  public static final class SafeMessage extends MessageConverter {
    @Override
    public String convert(ILoggingEvent event) {
      return TerminalText.oneLine(super.convert(event));
    }
  }

  /** {@code %safeEx}: the stack trace, control characters but line breaks escaped. */
  public static final class SafeThrowable extends ThrowableProxyConverter {
    @Override
    protected String throwableProxyToString(IThrowableProxy proxy) {
      return traces ? TerminalText.lines(super.throwableProxyToString(proxy)) : "";
    }
  }
}
