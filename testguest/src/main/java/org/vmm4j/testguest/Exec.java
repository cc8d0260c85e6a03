package org.vmm4j.testguest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a host tool with a deadline; its output is captured in a file, never a pipe that can fill.
 */
final class Exec {

  /** What a finished command left: its exit code and its combined stdout and stderr. */
  public record Result(int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }

    /** The last {@code n} characters of the output, for an error message. */
    public String tail(int n) {
      String t = output.strip();
      return t.length() <= n ? t : "..." + t.substring(t.length() - n);
    }
  }

  private Exec() {}

  /**
   * Runs {@code command} in {@code dir}, stdin from /dev/null; stdout goes to {@code stdout} when
   * given (else it is captured with stderr). Kills it and throws when it runs past {@code timeout}.
   */
  public static Result run(List<String> command, Path dir, Path stdout, Duration timeout) {
    String what = String.join(" ", command);
    Path log = null;
    Process p = null;
    try {
      log = Files.createTempFile("vmm4j-exec", ".log");
      ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      pb.redirectError(log.toFile());
      if (stdout != null) {
        pb.redirectOutput(stdout.toFile());
      } else {
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
      }
      p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new TestGuestException(
            "test guest build: '" + what + "' did not finish within " + timeout.toSeconds() + "s");
      }
      return new Result(p.exitValue(), read(log));
    } catch (IOException e) {
      throw new TestGuestException("test guest build: cannot run '" + what + "': " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TestGuestException("test guest build: interrupted while running '" + what + "'", e);
    } finally {
      if (p != null && p.isAlive()) {
        p.destroyForcibly();
      }
      if (log != null) {
        try {
          Files.deleteIfExists(log);
        } catch (IOException ignored) {
          // a leftover temp file is harmless
        }
      }
    }
  }

  /** Like {@link #run} but throws, quoting the output, when the exit code is not 0. */
  public static Result check(List<String> command, Path dir, Path stdout, Duration timeout) {
    Result r = run(command, dir, stdout, timeout);
    if (!r.ok()) {
      throw new TestGuestException(
          "test guest build: '"
              + String.join(" ", command)
              + "' failed with exit code "
              + r.exitCode()
              + ": "
              + r.tail(600));
    }
    return r;
  }

  private static String read(Path log) throws IOException {
    try (InputStream in = Files.newInputStream(log)) {
      byte[] b = in.readNBytes(1 << 20);
      return new String(b, StandardCharsets.UTF_8);
    }
  }
}
