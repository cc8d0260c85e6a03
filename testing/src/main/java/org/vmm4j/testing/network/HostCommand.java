package org.vmm4j.testing.network;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Runs {@code ip} and {@code tc}: one process each, a 10 s deadline, stdout as the result. */
final class HostCommand {
  private static final long DEADLINE_SECONDS = 10;

  private HostCommand() {}

  /**
   * Runs {@code command} and returns its standard output.
   *
   * @throws IllegalStateException naming the command when it cannot start, exits non-zero (with its
   *     standard error) or is still running after 10 s (it is killed)
   */
  static String run(String... command) {
    String line = String.join(" ", command);
    Process p;
    try {
      p = new ProcessBuilder(command).redirectInput(Redirect.from(new File("/dev/null"))).start();
    } catch (IOException e) {
      throw new IllegalStateException(line + ": cannot start: " + e.getMessage(), e);
    }
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    try {
      if (!p.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(line + ": still running after " + DEADLINE_SECONDS + " s");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            line + ": exit " + p.exitValue() + ": " + err.get().strip());
      }
      return out.get();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(line + ": interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(line + ": " + e.getCause().getMessage(), e.getCause());
    }
  }

  /** Whether {@code command} starts and exits 0 within the deadline. */
  static boolean works(String... command) {
    try {
      run(command);
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /** {@code ip -n NETNS ARGS...}. */
  static String ip(String netns, String... args) {
    return run(in("ip", netns, args));
  }

  /** {@code tc -n NETNS ARGS...}. */
  static String tc(String netns, String... args) {
    return run(in("tc", netns, args));
  }

  private static String[] in(String tool, String netns, String[] args) {
    List<String> all = new ArrayList<>(List.of(tool, "-n", netns));
    all.addAll(List.of(args));
    return all.toArray(new String[0]);
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
