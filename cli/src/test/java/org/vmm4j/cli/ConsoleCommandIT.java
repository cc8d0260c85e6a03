package org.vmm4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.persist.FsStore;
import org.vmm4j.testguest.AgentClient;
import org.vmm4j.testguest.GuestArtifacts;
import org.vmm4j.testguest.TestGuest;
import org.vmm4j.testing.persist.SampleStates;

/**
 * {@code vmm4j console ID} on a real QEMU running the test guest (TCG), whose agent serves hvc0:
 * Kata's {@code virtconsole} on {@code <root>/vm/<id>/console.sock}, the way vmm4j lays it out.
 */
class ConsoleCommandIT {
  private static final String QEMU = "qemu-system-x86_64";

  @TempDir Path root;

  @Test
  void theAgentAnswersThroughVmm4jConsoleAndAHeldConsoleIsReported() throws Exception {
    assumeTrue(onPath(QEMU), "no " + QEMU + " on PATH (install qemu-system-x86)");
    GuestArtifacts guest = TestGuest.withDefaults().ensureBuilt(System.err::println);
    new FsStore(root).save(SampleStates.sandbox("sb", 0, 0), Map.of());
    Path vm = Files.createDirectories(root.resolve("vm/sb"));
    Path sock = vm.resolve("console.sock");
    Process qemu = start(guest, vm, sock);
    try {
      // Wait for the boot (and leave the console free again).
      try (AgentClient ready = AgentClient.connect(sock, Duration.ofSeconds(60), timeout())) {
        assertThat(ready.call("ping").lines()).containsExactly("pong");
      }

      CliRun r =
          ContextRun.context()
              .stdin("\nhello 4242\nping\n")
              .run("--root", root.toString(), "console", "sb", "--drain", "2");
      assertThat(r.exitCode()).as(r.err() + diagnostics(vm, qemu)).isZero();
      assertThat(r.out()).containsPattern("READY [0-9.]+ 4242\\r?\\n");
      assertThat(r.out()).containsPattern("(?m)^pong\\r?\\n@@END@@ 0");
      assertThat(r.err()).isEmpty();

      // What is typed just before Ctrl-] reaches the guest: QEMU reads it and the end of the input,
      // then closes, and only then does the command hang up. The next client completes the line.
      CliRun detached =
          ContextRun.context()
              .stdin(new ByteArrayInputStream("\nhel\u001d".getBytes(StandardCharsets.UTF_8)))
              .terminal(FakeTerminal.tty())
              .run("--root", root.toString(), "console", "sb");
      assertThat(detached.exitCode()).as(detached.err()).isZero();
      assertThat(detached.err())
          .isEqualTo(
              "vmm4j: connected to the console of sb; Ctrl-] detaches\n"
                  + "\nvmm4j: detached from the console of sb\n");
      CliRun rest =
          ContextRun.context()
              .stdin("lo 4343\n")
              .run("--root", root.toString(), "console", "sb", "--drain", "2");
      assertThat(rest.out()).as(rest.err()).containsPattern("READY [0-9.]+ 4343\\r?\\n");

      // QEMU serves one client per socket: while the agent client holds it, nothing comes.
      try (AgentClient holder = AgentClient.connect(sock, Duration.ofSeconds(10), timeout())) {
        CliRun held =
            ContextRun.context()
                .stdin("ping\n")
                .run("--root", root.toString(), "console", "sb", "--wait", "1.5");
        assertThat(held.exitCode()).as(held.out()).isEqualTo(1);
        assertThat(held.out()).isEmpty();
        assertThat(held.err())
            .startsWith("vmm4j console: sb: nothing came from " + sock + " within 1.5 s:");
        assertThat(holder.call("ping").lines()).containsExactly("pong");
      }
    } finally {
      qemu.destroy();
      if (!qemu.waitFor(5, TimeUnit.SECONDS)) {
        qemu.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  private static Duration timeout() {
    return Duration.ofSeconds(20);
  }

  /** The test guest under TCG with its console on {@code sock}, kernel messages to a file. */
  private static Process start(GuestArtifacts g, Path vm, Path sock) throws IOException {
    List<String> argv =
        List.of(
            QEMU,
            "-machine",
            "q35",
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
            "256M",
            "-kernel",
            g.vmlinux().toString(),
            "-initrd",
            g.initramfs().toString(),
            "-append",
            "console=ttyS0 panic=-1 agent=hvc0",
            "-serial",
            "file:" + vm.resolve("ttyS0.log"),
            "-device",
            "virtio-serial-pci,id=serial0",
            "-device",
            "virtconsole,chardev=charconsole0,id=console0",
            "-chardev",
            "socket,id=charconsole0,path=" + sock + ",server=on,wait=off");
    return new ProcessBuilder(argv)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(vm.resolve("qemu.out").toFile())
        .redirectErrorStream(true)
        .start();
  }

  private static String diagnostics(Path vm, Process qemu) {
    return "\nQEMU "
        + (qemu.isAlive() ? "running" : "exited " + qemu.exitValue())
        + ": "
        + read(vm.resolve("qemu.out"))
        + "\nttyS0: "
        + read(vm.resolve("ttyS0.log"));
  }

  private static String read(Path f) {
    try {
      String s = Files.readString(f, StandardCharsets.ISO_8859_1);
      return s.length() <= 2000 ? s : "..." + s.substring(s.length() - 2000);
    } catch (IOException e) {
      return "(none)";
    }
  }

  private static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }
}
