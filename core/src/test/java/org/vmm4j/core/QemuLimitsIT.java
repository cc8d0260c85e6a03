package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.HostCapabilities;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.SandboxPaths;
import org.vmm4j.core.internal.config.Configs;
import org.vmm4j.core.internal.qemu.HostMemory;
import org.vmm4j.core.internal.qemu.LaunchContext;
import org.vmm4j.core.internal.qemu.LaunchLimits;
import org.vmm4j.core.internal.qemu.QemuCommandLine;
import org.vmm4j.core.internal.vm.Dirs;
import org.vmm4j.testing.qemu.TestAssets;

/**
 * Every limit vmm4j checks before launching is QEMU 7.2's own: the real QEMU (under TCG, started
 * stopped) takes the command line vmm4j builds for a config at the limit, and refuses, saying why,
 * the one it would build for the config just past it, which vmm4j refuses before launching (at
 * validation, or against the host before anything of a start exists), naming the field. A check
 * that drifts from QEMU either way fails here. The cases are {@link QemuLimitCases}.
 */
class QemuLimitsIT {
  Path dir;

  @BeforeEach
  void createDir() throws IOException {
    dir = Files.createTempDirectory(Path.of("/tmp"), "vmm4j-lim"); // short socket paths
  }

  @AfterEach
  void removeDir() {
    Dirs.deleteTree(dir);
  }

  static Stream<QemuLimitCases.Limit> cases() {
    return QemuLimitCases.ALL.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void vmm4jRefusesWhatQemuRefuses(QemuLimitCases.Limit c) throws Exception {
    QemuLimitCases.Files f = new QemuLimitCases.Files(dir, TestAssets.create(dir));
    HostCapabilities host = c.host();
    Optional<HostMemory> memory = HostMemory.read();

    HypervisorConfig at = ConfigLoader.validate(c.at().apply(f), GoldenCases.HOST_CPUS);
    LaunchLimits.check(at, host, memory);
    QemuVerdict taken = QemuVerdict.of(build(at, host, "at"));
    assertThat(taken.accepted()).as("QEMU takes the value at the limit: %s", taken).isTrue();

    HypervisorConfig past = c.past().apply(f);
    assertThatThrownBy(() -> checkAll(past, host, memory))
        .isInstanceOfSatisfying(
            ConfigException.class, e -> assertThat(e.field()).isEqualTo(c.field()))
        .hasMessageContaining(c.field());
    QemuVerdict refused =
        QemuVerdict.of(build(Configs.withDefaults(past, GoldenCases.HOST_CPUS), host, "past"));
    assertThat(refused.accepted()).as("QEMU refuses the value past it: %s", refused).isFalse();
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.output()).contains(c.qemuSays());
  }

  /**
   * Plain guest RAM against the host's memory and swap, with the kernel's heuristic overcommit: the
   * largest size QEMU allocates, and one MiB more.
   */
  @Test
  void plainRamWithinTheHostsMemoryAndSwap() throws Exception {
    HostMemory m = HostMemory.read().orElseThrow();
    if (m.overcommitMode() != HostMemory.OVERCOMMIT_HEURISTIC) {
      abort("vm.overcommit_memory=" + m.overcommitMode() + ": QEMU allocates any size here");
    }
    long most = (m.memTotalKiB() + m.swapTotalKiB()) / 1024;
    HostCapabilities host = new HostCapabilities(false, false, false, false, most + 10_000);
    HypervisorConfig base = AssetConfigs.initrdConfig(TestAssets.create(dir));

    HypervisorConfig at = ConfigLoader.validate(base.editKata(k -> k.memorySize(most)), 2);
    LaunchLimits.check(at, host, Optional.of(m));
    assertThat(QemuVerdict.of(build(at, host, "at")).accepted()).isTrue();

    HypervisorConfig past = ConfigLoader.validate(base.editKata(k -> k.memorySize(most + 1)), 2);
    assertThatThrownBy(() -> LaunchLimits.check(past, host, Optional.of(m)))
        .isInstanceOfSatisfying(
            ConfigException.class, e -> assertThat(e.field()).isEqualTo("MemorySize"));
    QemuVerdict refused = QemuVerdict.of(build(past, host, "past"));
    assertThat(refused.accepted()).isFalse();
    assertThat(refused.output()).contains("cannot set up guest memory 'dimm1': Cannot allocate");
  }

  private static void checkAll(HypervisorConfig c, HostCapabilities host, Optional<HostMemory> m) {
    LaunchLimits.check(ConfigLoader.validate(c, GoldenCases.HOST_CPUS), host, m);
  }

  private QemuCommandLine build(HypervisorConfig c, HostCapabilities host, String run)
      throws IOException {
    Path vm = Files.createDirectories(dir.resolve(run).resolve("vm"));
    Path shared = Files.createDirectories(dir.resolve(run).resolve("shared"));
    LaunchContext ctx =
        new LaunchContext(
            "limits",
            UUID.randomUUID(),
            new SandboxPaths(vm, shared),
            host,
            GoldenCases.sequentialIds());
    return QemuCommandLine.build(c, ctx);
  }
}
