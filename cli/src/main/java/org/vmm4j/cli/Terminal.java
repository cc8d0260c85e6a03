package org.vmm4j.cli;

/**
 * The controlling terminal behind standard input, as {@code vmm4j console} needs it: whether stdin
 * is one, and raw mode (every key goes to the guest at once, Ctrl-C included, nothing echoed) that
 * is undone on {@link #restore()} and when the JVM exits (on SIGTERM or SIGHUP too).
 */
interface Terminal {
  /** Whether standard input is a terminal. */
  boolean isTerminal();

  /** Puts the terminal in raw mode; {@link #restore()} (or the JVM's exit) undoes it. */
  void enterRaw();

  /** Puts the terminal back as it was before {@link #enterRaw()}; idempotent. */
  void restore();
}
