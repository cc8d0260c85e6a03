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
 * The command's logging (logback.xml): none without {@code --verbose}, where every failure is the
 * one error line and what it had to say is in it; with {@code --verbose}, vmm4j's debug lines and
 * everyone's info lines, stack traces included. Messages and stack traces are printed with control
 * characters escaped ({@link TerminalText}): they may carry text from QEMU.
 */
final class Logging {
  private Logging() {}

  /** Sets the levels for this process (when logback is the binding). */
  static void configure(boolean verbose) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(verbose ? Level.INFO : Level.OFF);
      context.getLogger("org.vmm4j").setLevel(verbose ? Level.DEBUG : Level.OFF);
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
      return TerminalText.lines(super.throwableProxyToString(proxy));
    }
  }
}
