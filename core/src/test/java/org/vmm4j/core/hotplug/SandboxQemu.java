package org.vmm4j.core.hotplug;

import static org.vmm4j.core.AssetConfigs.paths;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.vmm4j.core.GoldenCases;
import org.vmm4j.core.HostCapabilities;
import org.vmm4j.core.HypervisorConfig;
import org.vmm4j.core.LaunchContext;
import org.vmm4j.core.QemuCommandLine;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.qmp.QmpOptions;
import org.vmm4j.testing.qemu.TestAssets;

/**
 * A real QEMU started from core's command line for a config (stopped by {@code -S}, TCG, no guest
 * kernel that could run: the synthetic bzImage), with a QMP client on its controller socket. Killed
 * by {@link #close()}.
 */
final class SandboxQemu implements AutoCloseable {
  static final String BINARY = "/usr/bin/qemu-system-x86_64";

  /** 4 GiB of "host" memory: maxmem is 5120 MiB. */
  static final HostCapabilities HOST = new HostCapabilities(false, false, false, false, 4096);

  static final QmpOptions OPTIONS =
      QmpOptions.defaults()
          .withConnectTimeout(Duration.ofSeconds(30))
          .withCommandTimeout(Duration.ofSeconds(15));

  final HypervisorConfig config;
  final QemuCommandLine cmd;
  final Process process;
  final QmpClient qmp;

  private SandboxQemu(
      HypervisorConfig config, QemuCommandLine cmd, Process process, QmpClient qmp) {
    this.config = config;
    this.cmd = cmd;
    this.process = process;
    this.qmp = qmp;
  }

  static boolean available() {
    return Files.isExecutable(Path.of(BINARY));
  }

  static SandboxQemu start(TestAssets assets, HypervisorConfig config) throws IOException {
    HypervisorConfig c = config.validate(4);
    LaunchContext launch =
        new LaunchContext(
            "sb1", UUID.randomUUID(), paths(assets), HOST, GoldenCases.sequentialIds());
    QemuCommandLine cmd = QemuCommandLine.build(c, launch);
    Process p =
        new ProcessBuilder(cmd.argv())
            .redirectErrorStream(true)
            .redirectOutput(cmd.paths().qemuOutput().toFile())
            .start();
    try {
      QmpClient qmp =
          QmpClient.connectWhenListening(
              cmd.paths().qmpSocket(), OPTIONS, Duration.ofSeconds(30), p::isAlive);
      return new SandboxQemu(c, cmd, p, qmp);
    } catch (RuntimeException e) {
      p.destroyForcibly();
      throw new IllegalStateException(
          "QEMU did not serve QMP: "
              + e.getMessage()
              + "; output: "
              + Files.readString(cmd.paths().qemuOutput()),
          e);
    }
  }

  /** A hotplug context for this QEMU with the given deadlines. */
  HotplugContext context(HotplugTimeouts timeouts) {
    return HotplugContext.launched("sb1", qmp, cmd).withTimeouts(timeouts);
  }

  String output() throws IOException {
    return Files.readString(cmd.paths().qemuOutput());
  }

  @Override
  public void close() throws Exception {
    qmp.close();
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
