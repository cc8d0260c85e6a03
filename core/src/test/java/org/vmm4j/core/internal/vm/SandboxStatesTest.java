package org.vmm4j.core.internal.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vmm4j.core.AssetConfigs.initrdConfig;
import static org.vmm4j.core.AssetConfigs.paths;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.ConfigLoader;
import org.vmm4j.core.GoldenCases;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.core.internal.qemu.LaunchContext;
import org.vmm4j.core.internal.qemu.QemuCommandLine;
import org.vmm4j.persist.PersistCodec;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.testing.qemu.TestAssets;

/**
 * The {@code persist.json} of a freshly started sandbox, byte for byte ({@code
 * golden/state-*.json}; {@code @DIR@} is the test directory), and what a stop changes. Run with
 * {@code -Dvmm4j.golden.update=true} to rewrite the files.
 */
class SandboxStatesTest {
  static final long PID = 4242;

  @TempDir Path dir;

  private SandboxState q35Serial(TestAssets a) {
    HypervisorConfig c =
        ConfigLoader.validate(
            initrdConfig(a)
                .editKata(
                    k ->
                        k.hypervisorMachineType("q35")
                            .numVcpus(2)
                            .defaultMaxVcpus(4)
                            .memorySize(512)
                            .defaultBridges(2)
                            .pcieRootPort(2)),
            GoldenCases.HOST_CPUS);
    LaunchContext ctx =
        new LaunchContext(
            "golden",
            GoldenCases.UUID_FIXED,
            paths(a),
            GoldenCases.TCG_HOST,
            GoldenCases.sequentialIds());
    QemuCommandLine cl = QemuCommandLine.build(c, ctx);
    return SandboxStates.started(
        "golden",
        RuntimeConfig.shimV2(c, false),
        cl,
        GoldenCases.UUID_FIXED,
        PID,
        0,
        0,
        "/var/run/netns/golden");
  }

  @Test
  void startedQ35SandboxMatchesGolden() throws IOException {
    TestAssets a = TestAssets.create(dir);
    assertGolden("state-started-q35.json", q35Serial(a), a);
  }

  @Test
  void stoppedSandboxMatchesGolden() throws IOException {
    TestAssets a = TestAssets.create(dir);
    assertGolden("state-stopped-q35.json", SandboxStates.stopped(q35Serial(a)), a);
  }

  @Test
  void startedStateHasKataShimV2Fields() {
    SandboxState s = q35Serial(TestAssets.create(dir));
    assertThat(s.persistVersion()).isEqualTo(2);
    assertThat(s.state()).isEqualTo("running");
    assertThat(s.agentState().proxyPid()).isEqualTo(PID);
    assertThat(s.agentState().url()).isEqualTo(dir.resolve("vm/kata.sock").toString());
    assertThat(s.config().proxyType()).isEqualTo("kataBuiltInProxy");
    assertThat(s.config().kataAgentConfig().longLiveConn()).isTrue();
    assertThat(s.config().stateful()).isTrue();
    assertThat(s.hypervisorState().bridges())
        .extracting(b -> b.type() + " " + b.id() + " " + b.addr())
        .containsExactly(
            "pci pci-bridge-0 2",
            "pci pci-bridge-1 3",
            "pcie-root-port rp0 4",
            "pcie-root-port rp1 5");
    assertThat(s.hypervisorState().bridges()).allMatch(b -> b.deviceAddr().isEmpty());
  }

  @Test
  void stopClearsPidsAndAgent() {
    SandboxState s = SandboxStates.stopped(q35Serial(TestAssets.create(dir)));
    assertThat(s.state()).isEqualTo("stopped");
    assertThat(s.hypervisorState().pid()).isZero();
    assertThat(s.agentState().proxyPid()).isEqualTo(-1);
    assertThat(s.agentState().url()).isEmpty();
    assertThat(s.hypervisorState().uuid()).isEqualTo(GoldenCases.UUID_FIXED.toString());
  }

  static void assertGolden(String name, SandboxState state, TestAssets a) throws IOException {
    String actual =
        new String(PersistCodec.encode(state), StandardCharsets.UTF_8)
            .replace(a.root().toString(), "@DIR@");
    String resource = "/golden/" + name;
    if (Boolean.getBoolean("vmm4j.golden.update")) {
      Files.writeString(Path.of("src/test/resources" + resource), actual);
    }
    try (InputStream in = SandboxStatesTest.class.getResourceAsStream(resource)) {
      assertThat(in).as("golden file %s", resource).isNotNull();
      assertThat(actual).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
