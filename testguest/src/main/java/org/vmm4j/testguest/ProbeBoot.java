package org.vmm4j.testguest;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** One probe boot: QEMU in a temp dir, polled until READY, exit or the deadline; always killed. */
final class ProbeBoot {
  private static final long POLL_MS = 50;
  private static final long KILL_WAIT_MS = 5000;

  private ProbeBoot() {}

  static KvmProbeResult run(KvmProbe probe, GuestArtifacts guest) {
    Path dir = null;
    Process p = null;
    long t0 = System.nanoTime();
    try {
      dir = Files.createTempDirectory("vmm4j-kvm-probe");
      Path err = dir.resolve("qemu.err");
      p =
          new ProcessBuilder(probe.commandLine(guest, dir))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(err.toFile())
              .redirectErrorStream(true)
              .start();
      t0 = System.nanoTime();
      long deadline = t0 + probe.timeout().toNanos();
      while (true) {
        if (read(dir.resolve("agent.log")).contains("READY ")) {
          return result(
              probe,
              true,
              String.format(
                  "the guest's agent said READY after %.2f s", (System.nanoTime() - t0) / 1e9),
              t0);
        }
        if (!p.isAlive()) {
          return result(
              probe,
              false,
              "QEMU exited with status " + p.exitValue() + ": " + tail(read(err), 400),
              t0);
        }
        if (System.nanoTime() > deadline) {
          return result(
              probe,
              false,
              "no agent line within "
                  + probe.timeout().toMillis()
                  + " ms (the guest hangs); console: "
                  + tail(read(dir.resolve("console.log")), 300)
                  + "; QEMU: "
                  + tail(read(err), 200),
              t0);
        }
        Thread.sleep(POLL_MS);
      }
    } catch (IOException e) {
      throw new TestGuestException("KVM probe: cannot start " + probe.qemu() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TestGuestException("KVM probe: interrupted", e);
    } finally {
      kill(p);
      if (dir != null) {
        try {
          GuestCache.deleteTree(dir);
        } catch (IOException ignored) {
          // a temp dir left behind
        }
      }
    }
  }

  private static KvmProbeResult result(KvmProbe probe, boolean ok, String why, long t0) {
    return new KvmProbeResult(
        ok, why, Duration.ofNanos(System.nanoTime() - t0), false, probe.accel(), probe.cpu());
  }

  private static void kill(Process p) {
    if (p == null) {
      return;
    }
    try {
      p.destroy();
      if (!p.waitFor(KILL_WAIT_MS, TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor(KILL_WAIT_MS, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static String read(Path f) {
    try {
      return Files.exists(f) ? Files.readString(f, StandardCharsets.ISO_8859_1) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static String tail(String s, int n) {
    String t = s.strip().replaceAll("\\s*\\n\\s*", " | ");
    if (t.isEmpty()) {
      return "(nothing)";
    }
    return t.length() <= n ? t : "..." + t.substring(t.length() - n);
  }
}
