package org.vmm4j.examples;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the example's {@code restore} part in a JVM of its own, as another program (a restarted
 * runtime, an operator's tool) would act on the sandbox: same class path, its output copied to this
 * one's with a prefix once it has ended.
 */
final class SecondJvm {
  /** The second JVM's deadline: JVM start, restore, list, unplug, detach. */
  static final Duration DEADLINE = Duration.ofSeconds(60);

  static final String PREFIX = "  [second JVM] ";

  private SecondJvm() {}

  /**
   * Runs {@code EmbeddingExample restore ARGS...} and returns its exit code.
   *
   * @throws IllegalStateException when it did not end within {@link #DEADLINE} (it is killed)
   */
  static int restore(PrintStream out, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
    cmd.addAll(List.of(EmbeddingExample.class.getName(), EmbeddingExample.RESTORE));
    cmd.addAll(List.of(args));
    Path log = Files.createTempFile("vmm4j-example-second-jvm", ".log");
    try {
      Process p =
          new ProcessBuilder(cmd)
              .redirectInput(new File("/dev/null"))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      boolean ended = p.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      if (!ended) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        out.println(PREFIX + line);
      }
      if (!ended) {
        throw new IllegalStateException(
            "the second JVM did not end within " + DEADLINE.toSeconds() + " s: killed");
      }
      return p.exitValue();
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
