package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.LoadOptions;
import org.vmm4j.core.api.RuntimeConfig;

/** A whole {@code persist.json} is valid {@code .json} config input (docs/cli.md, run). */
class PersistJsonConfigTest {
  static final LoadOptions HOST = new LoadOptions(2, false, false);

  private static String sample() throws Exception {
    return new String(
        PersistJsonConfigTest.class
            .getResourceAsStream("/org/vmm4j/core/sandbox-sample.json")
            .readAllBytes(),
        StandardCharsets.UTF_8);
  }

  @Test
  void theGoSamplesConfigBecomesTheRuntimeConfig() throws Exception {
    RuntimeConfig rc = ConfigLoader.fromJson(sample(), "persist.json", HOST);
    HypervisorConfig h = rc.hypervisor();
    assertThat(h.kata().kernelPath()).isEqualTo("/opt/k/vmlinux");
    assertThat(h.kata().initrdPath()).isEqualTo("/opt/k/initrd.img");
    assertThat(h.kata().hypervisorMachineType()).isEqualTo("pc");
    assertThat(h.kata().memorySize()).isEqualTo(512);
    assertThat(h.kata().defaultBridges()).isEqualTo(2);
    assertThat(h.kata().blockDeviceDriver()).isEqualTo("virtio-scsi");
    assertThat(rc.interworkingModel()).isEqualTo(RuntimeConfig.MODEL_TCFILTER);
    assertThat(rc.proxyType()).isEqualTo(RuntimeConfig.PROXY_BUILT_IN);
    assertThat(rc.shimType()).isEqualTo(RuntimeConfig.SHIM_BUILT_IN);
    assertThat(rc.stateful()).isTrue();
  }

  @Test
  void anInvalidPersistJsonNamesItsPath() throws Exception {
    String bad = sample().replace("\"MemorySize\":512", "\"MemorySize\":\"512\"");
    assertThatThrownBy(() -> ConfigLoader.fromJson(bad, "persist.json", HOST))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("persist.json")
        .hasMessageContaining("MemorySize");
  }

  @Test
  void aPlainHypervisorConfigIsStillReadAsSuch() {
    RuntimeConfig rc =
        ConfigLoader.fromJson("{\"KernelPath\":\"/k\",\"NumVCPUs\":2}", "c.json", HOST);
    assertThat(rc.hypervisor().kata().numVcpus()).isEqualTo(2);
  }
}
