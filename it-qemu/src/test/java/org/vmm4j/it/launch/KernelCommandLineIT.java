package org.vmm4j.it.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.KernelParam;
import org.vmm4j.core.api.SandboxPaths;
import org.vmm4j.core.internal.config.Configs;
import org.vmm4j.core.internal.qemu.LaunchContext;
import org.vmm4j.core.internal.qemu.QemuCommandLine;
import org.vmm4j.core.internal.vm.Dirs;
import org.vmm4j.persist.FsStore;
import org.vmm4j.testguest.AgentClient;

/**
 * The kernel command line's limit is the guest kernel's, not QEMU's: QEMU 7.2 starts a guest with
 * any length, and the test guest's kernel (Debian 6.1, booted through its PVH entry, which gives no
 * {@code cmdline_size}: x86's 2048-byte {@code COMMAND_LINE_SIZE} less the NUL) boots with 2047
 * bytes and not at all with 2048. vmm4j starts the first, the guest sees all of it; it refuses the
 * second before launching (nothing left behind), and the command line it would have built, given to
 * QEMU directly and continued, gives a guest that never answers.
 */
class KernelCommandLineIT {
  static final int LIMIT = 2047;

  Path root;
  FsStore store;
  Process qemu;

  @BeforeEach
  void setUp() throws IOException {
    Fixture.guest();
    root = Files.createTempDirectory("vmm4j-cmdline");
    store = new FsStore(root);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (qemu != null) {
      qemu.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    Dirs.deleteTree(root);
  }

  @Test
  void theGuestTakesItsKernelsLimitAndNotOneByteMore() throws Exception {
    HypervisorConfig at = padded(Fixture.config("pc", 1, 256), LIMIT);
    long t0 = System.nanoTime();
    try (Sandbox s = Sandbox.start(store, Fixture.spec("cmdline-at", at));
        AgentClient agent = Fixture.agent(s.paths().consoleSocket())) {
      Duration boot = Duration.ofNanos(System.nanoTime() - t0);
      String seen = String.join("\n", agent.check("sh cat /proc/cmdline").lines()).strip();
      assertThat(seen).hasSize(LIMIT).isEqualTo(commandLine(at));
      s.delete();

      HypervisorConfig past = padded(Fixture.config("pc", 1, 256), LIMIT + 1);
      assertThatThrownBy(() -> Sandbox.start(store, Fixture.spec("cmdline-past", past)))
          .isInstanceOfSatisfying(
              ConfigException.class, e -> assertThat(e.field()).isEqualTo("KernelParams"))
          .hasMessageContaining("is 2048 bytes long, above the 2047");
      assertThat(store.exists("cmdline-past")).isFalse();
      assertThat(store.vmDir("cmdline-past")).doesNotExist();
      assertThat(Fixture.qemusOf(store, "cmdline-past")).isEmpty();

      Duration wait =
          boot.multipliedBy(3).compareTo(Duration.ofSeconds(20)) > 0
              ? boot.multipliedBy(3)
              : Duration.ofSeconds(20);
      SandboxPaths paths = startDirectly(past);
      assertThatThrownBy(
              () -> AgentClient.connect(paths.consoleSocket(), wait, Duration.ofSeconds(5)))
          .as("the guest answers within %s (the one at the limit did within %s)", wait, boot)
          .isInstanceOf(RuntimeException.class);
      assertThat(qemu.isAlive()).as("QEMU itself took the command line").isTrue();
    }
  }

  /** {@code c} with a {@code pad=xxx...} parameter making its command line {@code total} bytes. */
  private static HypervisorConfig padded(HypervisorConfig c, int total) {
    int now = commandLine(c).length();
    String pad = "x".repeat(total - now - " pad=".length());
    return c.editLive(l -> l.kernelParams(List.of(new KernelParam("pad", pad))));
  }

  private static String commandLine(HypervisorConfig c) {
    return QemuCommandLine.kernelCommandLine(Configs.withDefaults(c, 2));
  }

  /** QEMU with the command line vmm4j would build for {@code c}, continued over QMP. */
  private SandboxPaths startDirectly(HypervisorConfig c) throws Exception {
    SandboxPaths paths =
        new SandboxPaths(
            Files.createDirectories(root.resolve("direct/vm")),
            Files.createDirectories(root.resolve("direct/shared")));
    LaunchContext ctx =
        new LaunchContext(
            "cmdline-direct", UUID.randomUUID(), paths, Fixture.host(), LaunchContext.randomIds());
    QemuCommandLine cmd = QemuCommandLine.build(Configs.withDefaults(c, 2), ctx);
    qemu =
        new ProcessBuilder(cmd.argv())
            .redirectErrorStream(true)
            .redirectOutput(paths.qemuOutput().toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!Files.exists(paths.qmpSocket())) {
      assertThat(qemu.isAlive()).as("QEMU: %s", Files.readString(paths.qemuOutput())).isTrue();
      assertThat(System.nanoTime()).as("QMP socket within 20 s").isLessThan(deadline);
      Thread.sleep(20);
    }
    cont(paths.qmpSocket());
    return paths;
  }

  private static void cont(Path socket) throws IOException {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      var out = Channels.newOutputStream(ch);
      out.write(
          "{\"execute\":\"qmp_capabilities\"}\n{\"execute\":\"cont\"}\n"
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = Channels.newInputStream(ch);
      StringBuilder replies = new StringBuilder();
      while (countReturns(replies) < 2) {
        int b = in.read();
        assertThat(b).as("QMP replies: %s", replies).isNotNegative();
        replies.append((char) b);
      }
    }
  }

  private static int countReturns(CharSequence s) {
    return s.toString().split("\"return\"", -1).length - 1;
  }
}
