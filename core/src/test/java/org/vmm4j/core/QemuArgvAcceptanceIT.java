package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.vmm4j.core.AssetConfigs.paths;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vmm4j.core.api.HostCapabilities;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.internal.qemu.LaunchContext;
import org.vmm4j.core.internal.qemu.QemuCommandLine;
import org.vmm4j.core.internal.qemu.VirtiofsdCommand;
import org.vmm4j.testing.qemu.TestAssets;

/**
 * Every golden command line this host can run is accepted by the real QEMU 7.2: started (stopped by
 * its own {@code -S}), it serves the controller's QMP socket, answers {@code qmp_capabilities} and
 * {@code quit}, writes its pid file and exits 0 with nothing on stderr. The argv is the golden one
 * (same inputs), except {@code -sandbox} when this QEMU has no seccomp.
 *
 * <p>Skips, each saying why: the KVM cases without {@code /dev/kvm} or without {@code
 * -Dvmm4j.kvm.usable=true} (the usable-KVM probe lives with the test guest); virtio-fs without an
 * installed virtiofsd (Debian 12 packages none); hugepages where hugetlbfs cannot be mounted or
 * pages reserved (not root).
 */
class QemuArgvAcceptanceIT {
  static final Duration DEADLINE = Duration.ofSeconds(20);
  static final List<Path> VIRTIOFSD =
      List.of(
          Path.of("/usr/libexec/virtiofsd"),
          Path.of("/usr/lib/qemu/virtiofsd"),
          Path.of("/usr/bin/virtiofsd"));

  Path dir;
  Process qemu;
  Process virtiofsd;

  @BeforeEach
  void createDir() throws IOException {
    // Short: socket paths must stay under 108 bytes.
    dir = Files.createTempDirectory(Path.of("/tmp"), "vmm4j-it");
  }

  @AfterEach
  void cleanUp() throws IOException {
    for (Process p : new Process[] {qemu, virtiofsd}) {
      if (p != null && p.isAlive()) {
        p.destroyForcibly();
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
    }
  }

  static Stream<GoldenCases.Case> cases() {
    return GoldenCases.ALL.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void qemuAcceptsTheGoldenCommandLine(GoldenCases.Case c) throws Exception {
    if (c.needsKvm()) {
      requireKvm();
    }
    TestAssets assets = TestAssets.create(dir);
    HostCapabilities host = withThisQemuSeccomp(c.host());
    QemuCommandLine cmd = c.build(assets, host);
    if (cmd.virtiofsd().isPresent()) {
      cmd = startVirtiofsd(c, assets, host);
    }
    if (cmd.memory().map(m -> m.memPath().equals("/dev/hugepages")).orElse(false)) {
      try (HugePages pages = reserveHugePages(c)) {
        runAndQuit(cmd);
      }
      return;
    }
    runAndQuit(cmd);
  }

  private void runAndQuit(QemuCommandLine cmd) throws Exception {
    Path output = cmd.paths().qemuOutput();
    qemu =
        new ProcessBuilder(cmd.argv())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    Path socket = cmd.paths().qmpSocket();
    try (RawQmp qmp = connect(socket, output)) {
      assertThat(qmp.greeting()).startsWith("{\"QMP\":");
      assertThat(qmp.execute("qmp_capabilities")).isEqualTo("{\"return\": {}}");
      assertThat(qmp.execute("query-status")).contains("\"status\": \"prelaunch\"");
      assertThat(cmd.paths().toolsQmpSocket()).exists();
      assertThat(Files.readString(cmd.paths().pidFile()).trim())
          .isEqualTo(Long.toString(qemu.pid()));
      assertThat(qmp.execute("quit")).isEqualTo("{\"return\": {}}");
      qmp.drain();
    }
    assertThat(qemu.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("QEMU exits").isTrue();
    assertThat(qemu.exitValue()).as("exit status; output: %s", read(output)).isZero();
    assertThat(read(output)).as("QEMU's stdout and stderr").isEmpty();
  }

  private RawQmp connect(Path socket, Path output) throws Exception {
    Instant deadline = Instant.now().plus(DEADLINE);
    while (Instant.now().isBefore(deadline)) {
      if (!qemu.isAlive()) {
        throw new AssertionError(
            "QEMU exited with " + qemu.exitValue() + " before serving QMP: " + read(output));
      }
      if (Files.exists(socket)) {
        try {
          return RawQmp.connect(socket);
        } catch (ConnectException e) {
          // bound but not yet listening
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no QMP socket within " + DEADLINE + "; output: " + read(output));
  }

  private QemuCommandLine startVirtiofsd(GoldenCases.Case c, TestAssets assets, HostCapabilities h)
      throws Exception {
    Path daemon = VIRTIOFSD.stream().filter(Files::isExecutable).findFirst().orElse(null);
    if (daemon == null) {
      abort("no virtiofsd installed (looked in " + VIRTIOFSD + "; Debian 12 packages none)");
    }
    HypervisorConfig config =
        c.config().apply(assets).editKata(k -> k.virtioFsDaemon(daemon.toString()));
    QemuCommandLine cmd =
        QemuCommandLine.build(
            ConfigLoader.validate(config, GoldenCases.HOST_CPUS),
            new LaunchContext(
                "golden", GoldenCases.UUID_FIXED, paths(assets), h, GoldenCases.sequentialIds()));
    VirtiofsdCommand v = cmd.virtiofsd().orElseThrow();
    virtiofsd =
        new ProcessBuilder(v.argv())
            .redirectErrorStream(true)
            .redirectOutput(cmd.paths().virtiofsdOutput().toFile())
            .start();
    Instant deadline = Instant.now().plus(DEADLINE);
    while (!Files.exists(v.socket()) && Instant.now().isBefore(deadline)) {
      assertThat(virtiofsd.isAlive())
          .as("virtiofsd: %s", read(cmd.paths().virtiofsdOutput()))
          .isTrue();
      Thread.sleep(20);
    }
    return cmd;
  }

  private static HugePages reserveHugePages(GoldenCases.Case c) throws Exception {
    try {
      return HugePages.reserve(2048);
    } catch (IllegalStateException e) {
      abort(c.name() + ": cannot prepare hugepages: " + e.getMessage());
      throw e;
    }
  }

  private static void requireKvm() {
    if (!Files.exists(Path.of("/dev/kvm"))) {
      abort("no /dev/kvm");
    }
    if (!Boolean.getBoolean("vmm4j.kvm.usable")) {
      abort("KVM not known usable here: run with -Dvmm4j.kvm.usable=true where a guest boots");
    }
  }

  private static HostCapabilities withThisQemuSeccomp(HostCapabilities h) throws Exception {
    Process p =
        new ProcessBuilder("/usr/bin/qemu-system-x86_64", "-help")
            .redirectErrorStream(true)
            .start();
    String help = new String(p.getInputStream().readAllBytes());
    p.waitFor(10, TimeUnit.SECONDS);
    boolean seccomp = help.lines().anyMatch(l -> l.startsWith("-sandbox"));
    return new HostCapabilities(
        h.kvmUsable(), seccomp, h.vhostVsock(), h.nested(), h.memTotalMiB());
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file) : "";
  }
}
