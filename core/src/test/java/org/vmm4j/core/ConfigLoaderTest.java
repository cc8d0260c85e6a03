package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vmm4j.core.AssetConfigs.initrdConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.testing.qemu.TestAssets;

/** File loading: dispatch on the extension, validation, the vsock fallback of the JSON form. */
class ConfigLoaderTest {
  static final LoadOptions HOST = new LoadOptions(2, false, false);

  @TempDir Path dir;

  @Test
  void jsonFilesAreParsedAndValidated() throws Exception {
    TestAssets a = TestAssets.create(dir);
    Path file = dir.resolve("sandbox.json");
    Files.writeString(file, ConfigLoader.toJson(initrdConfig(a).memorySize(512).build()));
    RuntimeConfig r = ConfigLoader.load(file, HOST);
    assertThat(r.hypervisor().memorySize()).isEqualTo(512);
    assertThat(r.hypervisor().defaultMaxVCPUs()).isEqualTo(2);
    assertThat(r.proxyType()).isEqualTo("kataBuiltInProxy");

    Files.writeString(file, ConfigLoader.toJson(initrdConfig(a).memorySize(64).build()));
    assertThatThrownBy(() -> ConfigLoader.load(file, HOST))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("MemorySize=64");
  }

  @Test
  void vsockFallsBackToSerialWithoutTheDevice() throws Exception {
    TestAssets a = TestAssets.create(dir);
    String json = ConfigLoader.toJson(initrdConfig(a).useVSock(true).build());
    assertThat(ConfigLoader.fromJson(json, "x.json", HOST).hypervisor().useVSock()).isFalse();
    RuntimeConfig withDevice =
        ConfigLoader.fromJson(json, "x.json", new LoadOptions(2, true, false));
    assertThat(withDevice.hypervisor().useVSock()).isTrue();
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
    assertThat(r.hypervisor().hypervisorMachineType()).isEqualTo("q35");
    assertThat(r.hypervisor().memorySize()).isEqualTo(256);
    assertThat(r.hypervisor().hypervisorPath()).endsWith("qemu-system-x86_64");
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
