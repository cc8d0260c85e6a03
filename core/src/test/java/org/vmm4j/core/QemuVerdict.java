package org.vmm4j.core;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.vmm4j.core.internal.qemu.QemuCommandLine;

/**
 * What the real QEMU does with a command line started stopped ({@code -S}): it either exits on its
 * own (refused, with its output) or serves QMP, answers {@code qmp_capabilities} and quits when
 * told (accepted). Nothing of the guest runs.
 *
 * @param accepted whether QEMU served QMP
 * @param exitCode its exit status
 * @param output its stdout and stderr
 */
record QemuVerdict(boolean accepted, int exitCode, String output) {
  static final Duration DEADLINE = Duration.ofSeconds(30);

  /** Runs {@code cmd}'s argv; its output goes to the sandbox's {@code qemu-output.log}. */
  static QemuVerdict of(QemuCommandLine cmd) throws Exception {
    Files.createDirectories(cmd.paths().vmDir());
    Path output = cmd.paths().qemuOutput();
    Process qemu =
        new ProcessBuilder(cmd.argv())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    try {
      boolean served = serveAndQuit(qemu, cmd.paths().qmpSocket());
      if (!qemu.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
        throw new AssertionError("QEMU did not exit within " + DEADLINE + ": " + read(output));
      }
      return new QemuVerdict(served, qemu.exitValue(), read(output));
    } finally {
      qemu.destroyForcibly();
      qemu.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }
  }

  /** Whether QEMU served QMP (then told to quit); false when it exited first. */
  private static boolean serveAndQuit(Process qemu, Path socket) throws Exception {
    Instant deadline = Instant.now().plus(DEADLINE);
    while (Instant.now().isBefore(deadline)) {
      if (!qemu.isAlive()) {
        return false;
      }
      if (Files.exists(socket)) {
        try (RawQmp qmp = RawQmp.connect(socket)) {
          String reply = qmp.greeting() == null ? null : qmp.execute("qmp_capabilities");
          if (reply == null || !reply.startsWith("{\"return\"")) {
            return false; // it exited after making the socket
          }
          qmp.execute("quit");
          qmp.drain();
          return true;
        } catch (ConnectException e) {
          // bound but not yet listening
        } catch (IOException e) {
          return false; // it exited while we talked
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("QEMU neither exited nor served QMP within " + DEADLINE);
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file) : "";
  }
}
