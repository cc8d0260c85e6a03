package org.vmm4j.persist;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.vmm4j.testing.modules.ChildClassPath;

/** Starts {@link StoreChild} in another JVM (small and quick to start) and reads its lines. */
final class ChildJvm implements AutoCloseable {
  static final long LINE_TIMEOUT_S = 60;

  final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private volatile String last;

  private ChildJvm(Process process) {
    this.process = process;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                  last = l;
                  lines.add(l);
                }
              } catch (IOException e) {
                // the child is gone
              }
              lines.add("<eof>");
            },
            "child-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** The java command line that runs StoreChild with {@code args}. */
  static List<String> command(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(
        List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-XX:-UsePerfData"));
    cmd.add("-cp");
    cmd.add(classPath());
    cmd.add(StoreChild.class.getName());
    cmd.addAll(List.of(args));
    return cmd;
  }

  static String classPath() {
    return ChildClassPath.of(ChildJvm.class);
  }

  static ChildJvm start(List<String> command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    return new ChildJvm(pb.start());
  }

  static ChildJvm start(String... args) throws IOException {
    return start(command(args));
  }

  /** The next line, waiting at most {@link #LINE_TIMEOUT_S}. */
  String nextLine() throws InterruptedException {
    String l = lines.poll(LINE_TIMEOUT_S, TimeUnit.SECONDS);
    if (l == null) {
      throw new AssertionError("child printed nothing within " + LINE_TIMEOUT_S + " s");
    }
    return l;
  }

  /** Skips lines until one starts with {@code prefix}. */
  String awaitLine(String prefix) throws InterruptedException {
    for (String l; ; ) {
      l = nextLine();
      if (l.startsWith(prefix)) {
        return l;
      }
      if (l.equals("<eof>")) {
        throw new AssertionError("child ended without printing " + prefix);
      }
    }
  }

  /** Drains everything the child printed until its stdout closed; returns the last real line. */
  String drain() throws InterruptedException {
    while (!nextLine().equals("<eof>")) {
      // keep reading
    }
    return last;
  }

  void send(String line) throws IOException {
    process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().flush();
  }

  /**
   * SIGKILL, then reap. Through the process handle: {@code Process.destroyForcibly()} also closes
   * our end of the child's stdout, losing the lines the reader thread has not read yet (under load
   * the last "saved N" was lost that way, and the file looked two saves ahead of the child).
   */
  void kill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    if (!process.waitFor(LINE_TIMEOUT_S, TimeUnit.SECONDS)) {
      throw new AssertionError("child did not die");
    }
  }

  int waitFor() throws InterruptedException {
    if (!process.waitFor(LINE_TIMEOUT_S, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("child did not finish");
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
