package org.vmm4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.persist.FsStore;
import org.vmm4j.testing.persist.SampleStates;

/** {@code vmm4j console ID} against a fake console socket server. */
class ConsoleCommandTest {
  @TempDir Path root;
  private Path sock;

  @BeforeEach
  void knownSandbox() {
    new FsStore(root).save(SampleStates.sandbox("sb", 0, 0), Map.of());
    sock = root.resolve("vm/sb/console.sock");
  }

  private CliRun console(ContextRun ctx, String... args) {
    String[] argv = new String[args.length + 4];
    argv[0] = "--root";
    argv[1] = root.toString();
    argv[2] = "console";
    argv[3] = "sb";
    System.arraycopy(args, 0, argv, 4, args.length);
    return ctx.run(argv);
  }

  @Test
  void pipedInputGoesToTheGuestAndItsAnswerToStdout() throws Exception {
    try (FakeConsole guest = FakeConsole.answering(sock)) {
      CliRun r = console(ContextRun.context().stdin("ping\n"));
      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.out()).isEqualTo("pong\n@@END@@ 0\n");
      assertThat(r.err()).isEmpty();
      assertThat(guest.received()).isEqualTo("ping\n");
    }
  }

  @Test
  void afterTheInputEndsOutputIsDrainedUntilTheGuestIsQuiet() throws Exception {
    try (FakeConsole guest = FakeConsole.answering(sock)) {
      CliRun r = console(ContextRun.context().stdin("slow\nping\n"), "--drain", "1");
      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.out()).isEqualTo("pong\n@@END@@ 0\npong\n@@END@@ 0\n");
    }
  }

  @Test
  void aConsoleHeldByAnotherClientIsExitOneAfterTheWait() throws Exception {
    try (FakeConsole held = FakeConsole.holding(sock)) {
      CliRun r = console(ContextRun.context().stdin("ping\n"), "--wait", "0.3");
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.out()).isEmpty();
      assertThat(r.err())
          .isEqualTo(
              "vmm4j console: sb: nothing came from "
                  + sock
                  + " within 300 ms: another client holds the console (QEMU serves one client"
                  + " per socket), or the guest does not answer\n");
    }
  }

  @Test
  void qemuClosingTheConsoleEndsTheSession() throws Exception {
    try (FakeConsole guest = FakeConsole.answering(sock)) {
      PipedOutputStream typed = new PipedOutputStream();
      PipedInputStream in = new PipedInputStream(typed);
      typed.write("ping\nbye\n".getBytes(StandardCharsets.UTF_8));
      CliRun r = console(ContextRun.context().stdin(in));
      typed.close();
      assertThat(r.exitCode()).isZero();
      assertThat(r.out()).isEqualTo("pong\n@@END@@ 0\n");
      assertThat(r.err())
          .isEqualTo("vmm4j: QEMU closed the console of sb (the sandbox stopped?)\n");
    }
  }

  @Test
  void onATerminalCtrlRightBracketDetachesAndTypedKeysAreEchoed() throws Exception {
    try (FakeConsole guest = FakeConsole.answering(sock)) {
      FakeTerminal tty = FakeTerminal.tty();
      PipedOutputStream keys = new PipedOutputStream();
      PipedInputStream in = new PipedInputStream(keys);
      ByteArrayOutputStream screen = new ByteArrayOutputStream();
      CompletableFuture<CliRun> run =
          CompletableFuture.supplyAsync(
              () ->
                  ContextRun.context()
                      .stdin(in)
                      .terminal(tty)
                      .run(screen, "--root", root.toString(), "console", "sb"));
      keys.write("ping\n".getBytes(StandardCharsets.UTF_8));
      keys.flush();
      await().atMost(Duration.ofSeconds(10)).until(() -> text(screen).contains("@@END@@ 0"));
      keys.write(new byte[] {'x', 0x1d, 'y', '\n'});
      keys.flush();
      CliRun r = run.get(10, TimeUnit.SECONDS);
      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(guest.received()).isEqualTo("ping\nx");
      assertThat(r.out()).isEqualTo("ping\npong\n@@END@@ 0\nx");
      assertThat(tty.calls).containsExactly("raw", "restore");
      assertThat(r.err())
          .isEqualTo(
              "vmm4j: connected to the console of sb; Ctrl-] detaches\n"
                  + "\nvmm4j: detached from the console of sb\n");
    }
  }

  @Test
  void noLocalEchoLeavesEchoingToTheGuest() throws Exception {
    try (FakeConsole guest = FakeConsole.answering(sock)) {
      CliRun r =
          console(
              ContextRun.context().stdin("abc\u001d").terminal(FakeTerminal.tty()),
              "--no-local-echo");
      assertThat(r.exitCode()).isZero();
      assertThat(r.out()).isEmpty();
      await().atMost(Duration.ofSeconds(5)).until(() -> guest.received().equals("abc"));
    }
  }

  @Test
  void anUnknownSandboxIsExitOne() {
    CliRun r = ContextRun.context().run("--root", root.toString(), "console", "nosuch");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "vmm4j console: unknown sandbox nosuch (no state in " + root.resolve("sbs") + ")\n");
  }

  @Test
  void anInvalidIdIsBadInput() {
    CliRun r = ContextRun.context().run("--root", root.toString(), "console", "../x");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("vmm4j console: ").contains("../x");
  }

  @Test
  void aSandboxWithoutConsoleSocketIsExitOne() {
    CliRun r = console(ContextRun.context());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "vmm4j console: sandbox sb has no console socket " + sock + " (QEMU is not running)\n");
  }

  @Test
  void aSocketNobodyListensOnIsExitOne() throws IOException {
    java.nio.file.Files.createDirectories(sock.getParent());
    try (ServerSocketChannel gone = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      gone.bind(UnixDomainSocketAddress.of(sock));
    }
    CliRun r = console(ContextRun.context().stdin("ping\n"));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("vmm4j console: nothing listens on " + sock + " (QEMU is not running?): ");
  }

  @Test
  void durationsOutOfRangeAreBadInput() {
    CliRun r = console(ContextRun.context(), "--drain", "0");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("vmm4j console: --drain must be between 0 and 3600 seconds: 0\n");
  }

  @Test
  void helpDescribesDetachAndScripting() {
    CliRun r = ContextRun.context().run("console", "--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("Ctrl-] detaches").contains("--drain=SECONDS");
  }

  private static String text(ByteArrayOutputStream b) {
    synchronized (b) {
      return b.toString(StandardCharsets.UTF_8);
    }
  }
}
