package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File loading: dispatch on the extension, validation, the vsock fallback of the JSON form. */
class ConfigLoaderTest {
  static final LoadOptions HOST = new LoadOptions(2, false, false);

  @TempDir Path dir;

  @Test
  void jsonFilesAreParsedAndValidated() throws Exception {
    TestAssets a = TestAssets.create(dir);
    Path file = dir.resolve("sandbox.json");
    Files.writeString(file, ConfigLoader.toJson(a.initrdConfig().editKata(k -> k.memorySize(512))));
    RuntimeConfig r = ConfigLoader.load(file, HOST);
    assertThat(r.hypervisor().kata().memorySize()).isEqualTo(512);
    assertThat(r.hypervisor().kata().defaultMaxVcpus()).isEqualTo(2);
    assertThat(r.proxyType()).isEqualTo("kataBuiltInProxy");

    Files.writeString(file, ConfigLoader.toJson(a.initrdConfig().editKata(k -> k.memorySize(64))));
    assertThatThrownBy(() -> ConfigLoader.load(file, HOST))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("MemorySize=64");
  }

  @Test
  void vsockFallsBackToSerialWithoutTheDevice() throws Exception {
    TestAssets a = TestAssets.create(dir);
    String json = ConfigLoader.toJson(a.initrdConfig().editKata(k -> k.useVsock(true)));
    assertThat(ConfigLoader.fromJson(json, "x.json", HOST).hypervisor().kata().useVsock())
        .isFalse();
    RuntimeConfig withDevice =
        ConfigLoader.fromJson(json, "x.json", new LoadOptions(2, true, false));
    assertThat(withDevice.hypervisor().kata().useVsock()).isTrue();
    assertThat(withDevice.proxyType()).isEqualTo("noProxy");
  }

  @Test
  void tomlFilesAreKataConfigurations() throws Exception {
    TestAssets a = TestAssets.create(dir);
    Path file = dir.resolve("configuration.toml");
    Files.writeString(
        file,
        "[hypervisor.qemu]\nkernel = \""
            + a.kernel()
            + "\"\ninitrd = \""
            + a.initrd()
            + "\"\nmachine_type = \"q35\"\ndefault_memory = 256\n");
    RuntimeConfig r = ConfigLoader.load(file, HOST);
    assertThat(r.hypervisor().kata().hypervisorMachineType()).isEqualTo("q35");
    assertThat(r.hypervisor().kata().memorySize()).isEqualTo(256);
    assertThat(r.hypervisor().kata().hypervisorPath()).endsWith("qemu-system-x86_64");
  }

  @Test
  void otherExtensionsAndMissingFiles() {
    assertThatThrownBy(() -> ConfigLoader.parse(dir.resolve("c.yaml"), HOST))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(".toml or .json");
    assertThatThrownBy(() -> ConfigLoader.parse(dir.resolve("missing.json"), HOST))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("load " + dir.resolve("missing.json"));
  }
}
