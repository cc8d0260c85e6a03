package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vmm4j.core.AssetConfigs.initrdConfig;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.LiveSettings;
import org.vmm4j.persist.PersistCodec;
import org.vmm4j.testing.qemu.TestAssets;

/** The live config to the persisted one and back: Kata's record itself, Go's nil kept. */
class PersistedConfigTest {
  @TempDir Path dir;

  private HypervisorConfig sample() {
    TestAssets a = TestAssets.create(dir);
    return initrdConfig(a)
        .editKata(
            k ->
                k.hypervisorMachineType("q35")
                    .numVcpus(2)
                    .defaultMaxVcpus(4)
                    .memorySize(4294967295L)
                    .pcieRootPort(2)
                    .enableAnnotations(List.of("io.katacontainers.*"))
                    .virtioFsExtraArgs(List.of("--thread-pool-size=1"))
                    .useVsock(true)
                    .debug(true)
                    .vmId("vm-1"))
        .editLive(l -> l.accelerator(Accelerator.TCG));
  }

  @Test
  void everyPersistedFieldRoundTrips() {
    HypervisorConfig live = sample();
    org.vmm4j.persist.HypervisorConfig p = live.toPersisted();
    assertThat(p).isSameAs(live.kata());
    assertThat(p.memorySize()).isEqualTo(4294967295L);
    assertThat(p.hypervisorMachineType()).isEqualTo("q35");
    assertThat(p.enableAnnotations()).containsExactly("io.katacontainers.*");
    assertThat(p.useVsock()).isTrue();
    assertThat(p.vmId()).isEqualTo("vm-1");
    HypervisorConfig back = HypervisorConfig.fromPersisted(p);
    assertThat(back.kata()).isEqualTo(live.kata());
    // live-only settings are not persisted
    assertThat(back.live()).isEqualTo(LiveSettings.defaults());
    assertThat(back.live().accelerator()).isEqualTo(Accelerator.AUTO);
  }

  @Test
  void nilListsAreWrittenAsNullAndEmptyOnesAsEmpty() {
    String json =
        new String(PersistCodec.encodeValue(sample().toPersisted()), StandardCharsets.UTF_8);
    assertThat(json).contains("\"HypervisorPathList\":null", "\"JailerPathList\":null");
    assertThat(json).contains("\"EnableAnnotations\":[\"io.katacontainers.*\"]");
    HypervisorConfig empty = sample().editKata(k -> k.jailerPathList(List.of()));
    assertThat(new String(PersistCodec.encodeValue(empty.toPersisted()), StandardCharsets.UTF_8))
        .contains("\"JailerPathList\":[]", "\"HypervisorPathList\":null");
    assertThat(HypervisorConfig.orEmpty(sample().kata().jailerPathList())).isEmpty();
  }

  @Test
  void encodesLikeTheGoSampleByteForByte() throws Exception {
    // the Go sample's HypervisorConfig, through the live config and back, encodes to the same
    // bytes, its "EnableAnnotations":[] (an empty slice, not nil) included
    byte[] sample =
        getClass().getResourceAsStream("/org/vmm4j/core/sandbox-sample.json").readAllBytes();
    var state = PersistCodec.decodeSandbox(sample, "sample");
    org.vmm4j.persist.HypervisorConfig p = state.config().hypervisorConfig();
    HypervisorConfig live = HypervisorConfig.fromPersisted(p);
    String again = new String(PersistCodec.encodeValue(live.toPersisted()), StandardCharsets.UTF_8);
    String original = new String(PersistCodec.encodeValue(p), StandardCharsets.UTF_8);
    assertThat(original).contains("\"EnableAnnotations\":[]");
    assertThat(again).isEqualTo(original);
  }
}
