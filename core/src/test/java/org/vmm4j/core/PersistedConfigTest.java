package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vmm4j.core.AssetConfigs.initrdConfig;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.config.ConfigFields;
import org.vmm4j.persist.PersistCodec;
import org.vmm4j.testing.qemu.TestAssets;

/** The live config to the persisted one and back, through {@link ConfigFields#PERSISTED}. */
class PersistedConfigTest {
  @TempDir Path dir;

  private HypervisorConfig sample() {
    TestAssets a = TestAssets.create(dir);
    return initrdConfig(a)
        .hypervisorMachineType("q35")
        .numVCPUs(2)
        .defaultMaxVCPUs(4)
        .memorySize(4294967295L)
        .pcieRootPort(2)
        .enableAnnotations(List.of("io.katacontainers.*"))
        .virtioFSExtraArgs(List.of("--thread-pool-size=1"))
        .useVSock(true)
        .debug(true)
        .vmId("vm-1")
        .accelerator(Accelerator.TCG)
        .build();
  }

  @Test
  void everyPersistedFieldRoundTrips() {
    HypervisorConfig live = sample();
    org.vmm4j.persist.HypervisorConfig p = live.toPersisted();
    assertThat(p.memorySize()).isEqualTo(4294967295L);
    assertThat(p.hypervisorMachineType()).isEqualTo("q35");
    assertThat(p.enableAnnotations()).containsExactly("io.katacontainers.*");
    assertThat(p.useVsock()).isTrue();
    assertThat(p.vmId()).isEqualTo("vm-1");
    HypervisorConfig back = HypervisorConfig.fromPersisted(p);
    for (ConfigFields.Field f : ConfigFields.PERSISTED) {
      assertThat(f.get().apply(back)).as(f.name()).isEqualTo(f.get().apply(live));
    }
    // live-only fields are not persisted
    assertThat(back.accelerator()).isEqualTo(Accelerator.AUTO);
  }

  @Test
  void emptyListsAreGoNil() {
    String json =
        new String(PersistCodec.encodeValue(sample().toPersisted()), StandardCharsets.UTF_8);
    assertThat(json).contains("\"HypervisorPathList\":null", "\"JailerPathList\":null");
    assertThat(json).contains("\"EnableAnnotations\":[\"io.katacontainers.*\"]");
  }

  @Test
  void encodesLikeTheGoSampleFieldForField() throws Exception {
    // the Go sample's HypervisorConfig, through live and back, encodes to the same bytes
    byte[] sample =
        getClass().getResourceAsStream("/org/vmm4j/core/sandbox-sample.json").readAllBytes();
    var state = PersistCodec.decodeSandbox(sample, "sample");
    org.vmm4j.persist.HypervisorConfig p = state.config().hypervisorConfig();
    HypervisorConfig live = HypervisorConfig.fromPersisted(p);
    String again = new String(PersistCodec.encodeValue(live.toPersisted()), StandardCharsets.UTF_8);
    String original = new String(PersistCodec.encodeValue(p), StandardCharsets.UTF_8);
    // the sample has "EnableAnnotations":[] (empty, not nil): the live config cannot tell them
    // apart
    assertThat(again)
        .isEqualTo(original.replace("\"EnableAnnotations\":[]", "\"EnableAnnotations\":null"));
    Files.writeString(dir.resolve("x"), again);
  }
}
