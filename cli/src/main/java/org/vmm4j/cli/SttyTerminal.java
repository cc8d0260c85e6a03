package org.vmm4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link Terminal} through {@code stty} on the inherited standard input. Raw mode is {@code stty
 * raw -echo} with carriage returns turned into newlines on input and newlines into CR-LF on output
 * ({@code icrnl opost onlcr}): Enter ends a line for a guest whose tty is raw too (the test guest's
 * agent), and the guest's bare newlines do not staircase.
 */
final class SttyTerminal implements Terminal {
  /** Deadline of one {@code stty} run. */
  static final long STTY_TIMEOUT_MS = 5000;

  private String saved;
  private Thread hook;

  @Override
  public synchronized boolean isTerminal() {
    String settings = stty("-g");
    if (settings == null) {
      return false;
    }
    saved = settings.strip();
    return true;
  }

  @Override
  public synchronized void enterRaw() {
    if (saved == null && !isTerminal()) {
      throw CliException.failed("console: standard input is not a terminal", null);
    }
    if (hook == null) {
      hook = new Thread(this::restoreAtExit, "vmm4j-restore-terminal");
      Runtime.getRuntime().addShutdownHook(hook);
    }
    if (stty("raw", "-echo", "icrnl", "opost", "onlcr") == null) {
      throw CliException.failed("console: stty cannot put the terminal in raw mode", null);
    }
  }

  @Override
  public synchronized void restore() {
    if (hook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is exiting: the hook restores
      }
      hook = null;
    }
    restoreAtExit();
  }

  private synchronized void restoreAtExit() {
    if (saved != null) {
      stty(saved);
    }
  }

  /** Runs {@code stty ARGS} on our stdin; its output, or null when it fails. */
  private static String stty(String... args) {
    List<String> cmd = new ArrayList<>(List.of("stty"));
    cmd.addAll(List.of(args));
    try {
      Process p =
          new ProcessBuilder(cmd)
              .redirectInput(ProcessBuilder.Redirect.INHERIT)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(STTY_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return p.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
