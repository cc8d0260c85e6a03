package org.vmm4j.testing.qmp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A real {@code qemu-system-x86_64} for integration tests: q35, no default devices, stopped ({@code
 * -S}), TCG, a QMP socket in a temporary directory, plus the caller's arguments. Always killed by
 * {@link #close()}. Tests skip when {@link #available()} is false, saying {@link #MISSING}.
 */
public final class TestQemu implements AutoCloseable {
  public static final String BINARY = "qemu-system-x86_64";
  public static final String MISSING = BINARY + " not found on PATH";

  /** Two PCIe root ports (rp0 slot 2, rp1 slot 3) and a null block node's worth of room. */
  public static final List<String> ROOT_PORTS =
      List.of(
          "-device", "pcie-root-port,id=rp0,bus=pcie.0,chassis=1,slot=1,addr=0x2",
          "-device", "pcie-root-port,id=rp1,bus=pcie.0,chassis=2,slot=2,addr=0x3");

  /**
   * Native PCIe hotplug: a never-powered slot unplugs without a guest (QEMU releases a device from
   * a never-powered slot at once, with no guest).
   */
  public static final List<String> NATIVE_PCIE_HOTPLUG =
      List.of("-global", "ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off");

  private final Process process;
  private final Path dir;
  private final Path qmp;
  private final Path stderr;

  private TestQemu(Process process, Path dir, Path qmp, Path stderr) {
    this.process = process;
    this.dir = dir;
    this.qmp = qmp;
    this.stderr = stderr;
  }

  /** True when the QEMU binary is on the PATH. */
  public static boolean available() {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, BINARY))) {
        return true;
      }
    }
    return false;
  }

  /** Starts QEMU and waits (up to 10 s) until its QMP socket exists. */
  public static TestQemu start(String... extraArgs) {
    return start(Arrays.asList(extraArgs));
  }

  public static TestQemu start(List<String> extraArgs) {
    try {
      Path dir = Files.createTempDirectory("vmm4j-qemu");
      Path qmp = dir.resolve("qmp.sock");
      Path err = dir.resolve("stderr.txt");
      List<String> cmd = new ArrayList<>(List.of(BINARY, "-machine", "q35", "-accel", "tcg"));
      cmd.addAll(List.of("-nodefaults", "-S", "-display", "none", "-m", "256M"));
      cmd.addAll(List.of("-qmp", "unix:" + qmp + ",server=on,wait=off"));
      cmd.addAll(extraArgs);
      Process p =
          new ProcessBuilder(cmd)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(err.toFile())
              .start();
      TestQemu q = new TestQemu(p, dir, qmp, err);
      q.awaitSocket();
      q.awaitListening();
      return q;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitSocket() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!Files.exists(qmp)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        String why = process.isAlive() ? "no QMP socket after 10 s" : "QEMU exited";
        close();
        throw new IllegalStateException(why + ": " + stderr());
      }
      pause();
    }
  }

  private void pause() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * QEMU creates the socket file just before it listens: connect once and read the greeting (with a
   * plain unix socket, not vmm4j's client), so that callers connect to a QEMU that answers.
   */
  private void awaitListening() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(qmp))) {
        s.setSoTimeout(10_000);
        String greeting =
            new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        if (greeting != null && greeting.startsWith("{\"QMP\"")) {
          return;
        }
        throw new IOException("no QMP greeting but: " + greeting);
      } catch (IOException e) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          close();
          throw new IllegalStateException(
              "QEMU's QMP socket did not work: " + e.getMessage() + ": " + stderr(), e);
        }
        pause();
      }
    }
  }

  public Path qmpSocket() {
    return qmp;
  }

  public long pid() {
    return process.pid();
  }

  public Process process() {
    return process;
  }

  /** What QEMU wrote on stderr so far. */
  public String stderr() {
    try {
      return Files.exists(stderr) ? Files.readString(stderr, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /** Waits up to {@code seconds} for QEMU to exit; true when it did. */
  public boolean awaitExit(long seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS);
  }

  /** Kills QEMU (SIGKILL), reaps it and removes the temporary directory. */
  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // leftovers in /tmp are harmless
    }
  }
}
