package org.vmm4j.core.internal.hotplug;

import static org.vmm4j.core.AssetConfigs.paths;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.vmm4j.core.ConfigLoader;
import org.vmm4j.core.api.HostCapabilities;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.core.internal.qemu.LaunchContext;
import org.vmm4j.core.internal.qemu.QemuCommandLine;
import org.vmm4j.core.internal.vm.SandboxStates;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.StoredSandbox;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.qmp.QmpOptions;
import org.vmm4j.testing.qemu.TestAssets;

/**
 * A real QEMU started from core's command line for a config (stopped by {@code -S}, TCG, no guest
 * kernel that could run: the synthetic bzImage), with a QMP client on its controller socket, and
 * its state as a launch records it in a store beside it: {@link #run} runs work as one transaction
 * on both, with QEMU's facts read from QEMU. Killed by {@link #close()}.
 */
final class SandboxQemu implements AutoCloseable {
  static final String BINARY = "/usr/bin/qemu-system-x86_64";
  static final String SID = "sb1";

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
  final FsStore store;
  final Path vmDir;
  private QemuFacts facts;

  private SandboxQemu(
      HypervisorConfig config, QemuCommandLine cmd, Process process, QmpClient qmp, Path root) {
    this.config = config;
    this.cmd = cmd;
    this.process = process;
    this.qmp = qmp;
    this.store = new FsStore(root.resolve("store"));
    this.vmDir = root.resolve("vm");
  }

  static boolean available() {
    return Files.isExecutable(Path.of(BINARY));
  }

  static SandboxQemu start(TestAssets assets, HypervisorConfig config) throws IOException {
    HypervisorConfig c = ConfigLoader.validate(config, 4);
    long[] next = {1};
    LaunchContext launch =
        new LaunchContext(
            SID, UUID.randomUUID(), paths(assets), HOST, () -> String.format("%016x", next[0]++));
    QemuCommandLine cmd = QemuCommandLine.build(c, launch);
    Process p =
        new ProcessBuilder(cmd.argv())
            .redirectErrorStream(true)
            .redirectOutput(cmd.paths().qemuOutput().toFile())
            .start();
    SandboxQemu q;
    try {
      QmpClient qmp =
          QmpClient.connectWhenListening(
              cmd.paths().qmpSocket(), OPTIONS, Duration.ofSeconds(30), p::isAlive);
      q = new SandboxQemu(c, cmd, p, qmp, assets.root());
    } catch (RuntimeException e) {
      p.destroyForcibly();
      throw new IllegalStateException(
          "QEMU did not serve QMP: "
              + e.getMessage()
              + "; output: "
              + Files.readString(cmd.paths().qemuOutput()),
          e);
    }
    q.store.save(
        SandboxStates.started(
            SID, RuntimeConfig.shimV2(c, false), cmd, launch.uuid(), p.pid(), 0, 0, ""),
        Map.of());
    return q;
  }

  /** Runs {@code work} as one transaction on this QEMU and its state, with deadlines {@code d}. */
  <T> T run(Deadlines d, Function<Tx, T> work) {
    if (facts == null) {
      facts = QemuFacts.read(config, cmd.accelerator(), qmp, OPTIONS.commandTimeout());
    }
    QemuFacts f = facts;
    TxRunner runner =
        new TxRunner(
            store,
            SID,
            Duration.ofSeconds(30),
            qmp,
            () -> f,
            d,
            vmDir,
            process.pid(),
            config.kata().blockDeviceDriver());
    return runner.run(s -> {}, work, o -> {}).result();
  }

  /** The state as stored now. */
  StoredSandbox stored() {
    return store.load(SID);
  }

  /** The stored state as a transaction's model reads it. */
  SandboxModel model() {
    return SandboxModel.of(stored(), config.kata().blockDeviceDriver(), false);
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
