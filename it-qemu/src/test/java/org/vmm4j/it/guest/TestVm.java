package org.vmm4j.it.guest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.vmm4j.testguest.AgentClient;
import org.vmm4j.testguest.GuestArtifacts;
import org.vmm4j.testguest.TestGuest;

/**
 * A QEMU started directly with the test guest under TCG, in its own temp dir: the agent serves hvc0
 * (Kata's virtconsole on {@code console.sock}), the virtio-serial port {@code ctl} ({@code
 * ctl.sock}) and ttyS1 ({@code ttyS1.sock}); kernel messages go to {@code ttyS0.log} and hvc0.
 * Close it to kill QEMU and remove the dir.
 */
final class TestVm implements AutoCloseable {
  static final String QEMU = "qemu-system-x86_64";
  static final Duration BOOT_TIMEOUT = Duration.ofSeconds(30);
  private static GuestArtifacts guest;

  final Path dir;
  final Process process;
  final long startNanos;

  private TestVm(Path dir, Process process, long startNanos) {
    this.dir = dir;
    this.process = process;
    this.startNanos = startNanos;
  }

  /** The test guest, built (or taken from the cache) once per JVM; skips without QEMU. */
  static synchronized GuestArtifacts guest() {
    assumeTrue(onPath(QEMU), "no " + QEMU + " on PATH (install qemu-system-x86)");
    if (guest == null) {
      guest = TestGuest.withDefaults().ensureBuilt(s -> System.err.println(s));
    }
    return guest;
  }

  static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }

  /** What a test adds to the command line; may create files (disk images) in the VM's dir. */
  interface Extra {
    List<String> args(Path dir) throws IOException;
  }

  /** Starts QEMU: the base command line plus {@code extra}; {@code append} adds kernel words. */
  static TestVm start(String machine, Extra extra, String append) throws IOException {
    GuestArtifacts g = guest();
    Path dir = Files.createTempDirectory("vmm4j-it-vm");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                QEMU,
                "-machine",
                machine,
                "-accel",
                "tcg",
                "-cpu",
                "max",
                "-nodefaults",
                "-no-user-config",
                "-display",
                "none",
                "-no-reboot",
                "-m",
                "512M",
                "-smp",
                "1",
                "-kernel",
                g.vmlinux().toString(),
                "-initrd",
                g.initramfs().toString(),
                "-append",
                "console=ttyS0 console=hvc0 panic=-1 " + append,
                "-serial",
                "file:" + dir.resolve("ttyS0.log"),
                "-chardev",
                "socket,id=s1,path=" + dir.resolve("ttyS1.sock") + ",server=on,wait=off",
                "-serial",
                "chardev:s1",
                "-device",
                "virtio-serial-pci,id=serial0",
                "-device",
                "virtconsole,chardev=charconsole0,id=console0",
                "-chardev",
                "socket,id=charconsole0,path="
                    + dir.resolve("console.sock")
                    + ",server=on,wait=off",
                "-device",
                "virtserialport,chardev=ctl,name=ctl,bus=serial0.0",
                "-chardev",
                "socket,id=ctl,path=" + dir.resolve("ctl.sock") + ",server=on,wait=off",
                "-qmp",
                "unix:" + dir.resolve("qmp.sock") + ",server=on,wait=off"));
    cmd.addAll(extra.args(dir));
    long t0 = System.nanoTime();
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(dir.resolve("qemu.out").toFile())
            .redirectErrorStream(true)
            .start();
    return new TestVm(dir, p, t0);
  }

  Path consoleSock() {
    return dir.resolve("console.sock");
  }

  Path ctlSock() {
    return dir.resolve("ctl.sock");
  }

  Path ttyS1Sock() {
    return dir.resolve("ttyS1.sock");
  }

  /** Connects to the agent on {@code sock}, waiting for the boot; adds diagnostics on failure. */
  AgentClient agent(Path sock, Duration readyTimeout) {
    try {
      return AgentClient.connect(sock, readyTimeout, AgentClient.DEFAULT_CALL_TIMEOUT);
    } catch (RuntimeException e) {
      throw new AssertionError(e.getMessage() + "\n" + diagnostics(), e);
    }
  }

  /** QEMU's output and the end of the serial console, for a failure message. */
  String diagnostics() {
    return "QEMU "
        + (process.isAlive() ? "running" : "exited " + process.exitValue())
        + "; qemu output: "
        + tail(dir.resolve("qemu.out"), 1500)
        + "\nttyS0: "
        + tail(dir.resolve("ttyS0.log"), 3000);
  }

  private static String tail(Path f, int n) {
    try {
      String s = Files.readString(f, StandardCharsets.ISO_8859_1);
      return s.length() <= n ? s : "..." + s.substring(s.length() - n);
    } catch (IOException e) {
      return "(none)";
    }
  }

  @Override
  public void close() throws Exception {
    try {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      }
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
