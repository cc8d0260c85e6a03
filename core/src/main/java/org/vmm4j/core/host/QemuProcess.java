package org.vmm4j.core.host;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One short QEMU query ({@code -version}, {@code -help}, {@code -machine help}): started at once,
 * awaited with a deadline, killed when it does not finish. stdin is {@code /dev/null}; stdout and
 * stderr are read together by a daemon thread (so a full pipe never blocks QEMU).
 */
final class QemuProcess {
  /** How long a killed query may take to go away. */
  private static final long KILL_WAIT_MS = 2000;

  /** What a query gave: the exit status (or a failure to run) and its output. */
  record Outcome(int exitCode, String output, String failure) {
    boolean ok() {
      return failure.isEmpty() && exitCode == 0;
    }

    /** Why the query failed, for a problem message ("exited with status 1: ..."). */
    String why() {
      if (!failure.isEmpty()) {
        return failure;
      }
      return "exited with status " + exitCode + ": " + tail(output);
    }
  }

  private final List<String> argv;
  private final Process process;
  private final Thread reader;
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private final String startFailure;

  private QemuProcess(List<String> argv, Process process, String startFailure) {
    this.argv = argv;
    this.process = process;
    this.startFailure = startFailure;
    this.reader = process == null ? null : new Thread(this::drain, "qemu-query");
    if (reader != null) {
      reader.setDaemon(true);
      reader.start();
    }
  }

  static QemuProcess start(List<String> argv) {
    try {
      Process p =
          new ProcessBuilder(argv)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectErrorStream(true)
              .start();
      return new QemuProcess(argv, p, "");
    } catch (IOException e) {
      return new QemuProcess(argv, null, "cannot run: " + e.getMessage());
    }
  }

  /** Waits up to {@code timeout} (counted from now) for the query to finish. */
  Outcome await(Duration timeout) {
    if (process == null) {
      return new Outcome(-1, "", startFailure);
    }
    try {
      if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        process.destroyForcibly().waitFor(KILL_WAIT_MS, TimeUnit.MILLISECONDS);
        return new Outcome(-1, text(), "did not finish within " + HostCheck.seconds(timeout));
      }
      reader.join(KILL_WAIT_MS);
      return new Outcome(process.exitValue(), text(), "");
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Outcome(-1, text(), "interrupted");
    }
  }

  /** The command line, for messages. */
  String command() {
    return String.join(" ", argv);
  }

  private void drain() {
    byte[] buf = new byte[8192];
    try (InputStream in = process.getInputStream()) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        synchronized (output) {
          output.write(buf, 0, n);
        }
      }
    } catch (IOException e) {
      // the process went away: keep what was read
    }
  }

  private String text() {
    synchronized (output) {
      return output.toString(StandardCharsets.UTF_8);
    }
  }

  private static String tail(String s) {
    String t = s.strip().replaceAll("\\s*\\n\\s*", " | ");
    if (t.isEmpty()) {
      return "(no output)";
    }
    return t.length() <= 300 ? t : "..." + t.substring(t.length() - 300);
  }
}
