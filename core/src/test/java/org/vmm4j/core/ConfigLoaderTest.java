package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.vmm4j.core.AssetConfigs.initrdConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.LoadOptions;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.testing.files.SpecialFiles;
import org.vmm4j.testing.qemu.TestAssets;

/**
 * File loading: dispatch on the extension, validation, the vsock fallback of the JSON form, and the
 * refusal of a config that is not a regular file or is over 1 MiB (under a deadline: a FIFO must
 * not block the load, a device must not be read until memory runs out).
 */
class ConfigLoaderTest {
  static final LoadOptions HOST = new LoadOptions(2, false, false);

  @TempDir Path dir;

  @Test
  void jsonFilesAreParsedAndValidated() throws Exception {
    TestAssets a = TestAssets.create(dir);
    Path file = dir.resolve("sandbox.json");
    Files.writeString(file, ConfigLoader.toJson(initrdConfig(a).editKata(k -> k.memorySize(512))));
    RuntimeConfig r = ConfigLoader.load(file, HOST);
    assertThat(r.hypervisor().kata().memorySize()).isEqualTo(512);
    assertThat(r.hypervisor().kata().defaultMaxVcpus()).isEqualTo(2);
    assertThat(r.proxyType()).isEqualTo("kataBuiltInProxy");

    Files.writeString(file, ConfigLoader.toJson(initrdConfig(a).editKata(k -> k.memorySize(64))));
    assertThatThrownBy(() -> ConfigLoader.load(file, HOST))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("MemorySize=64");
  }

  @Test
  void vsockFallsBackToSerialWithoutTheDevice() throws Exception {
    TestAssets a = TestAssets.create(dir);
    String json = ConfigLoader.toJson(initrdConfig(a).editKata(k -> k.useVsock(true)));
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

  private Throwable parseFails(Path file) {
    Throwable[] thrown = new Throwable[1];
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> {
          try {
            ConfigLoader.parse(file, HOST);
          } catch (RuntimeException | Error e) {
            thrown[0] = e;
          }
        });
    assertThat(thrown[0]).as("the load failed").isInstanceOf(ConfigException.class);
    return thrown[0];
  }

  @Test
  void aFifoIsRefusedWithoutBlocking() throws Exception {
    Path fifo = SpecialFiles.fifo(dir.toRealPath().resolve("c.json"));
    assertThat(parseFails(fifo))
        .hasMessage("load " + fifo + ": not a regular file (a FIFO)")
        .extracting(e -> ((ConfigException) e).field())
        .isEqualTo("file");
    Path toml = SpecialFiles.fifo(dir.toRealPath().resolve("c.toml"));
    assertThat(parseFails(toml)).hasMessage("load " + toml + ": not a regular file (a FIFO)");
  }

  @Test
  void aLinkToAnEndlessDeviceIsRefusedBeforeReading() throws Exception {
    Path zero = SpecialFiles.link(dir.resolve("zero.json"), SpecialFiles.DEV_ZERO);
    assertThat(parseFails(zero))
        .hasMessage("load " + zero + ": not a regular file (a character device, /dev/zero)");
    Path random = SpecialFiles.link(dir.resolve("random.toml"), Path.of("/dev/urandom"));
    assertThat(parseFails(random))
        .hasMessage("load " + random + ": not a regular file (a character device, /dev/urandom)");
  }

  @Test
  void aConfigOver1MibIsRefusedByItsSize() throws Exception {
    Path big = SpecialFiles.sparse(dir.resolve("big.json"), 2L * 1024 * 1024 * 1024);
    assertThat(parseFails(big))
        .hasMessage("load " + big + ": 2147483648 bytes, more than the 1 MiB a config may have");
    // at the limit it is read (and parsed: NUL bytes are no JSON)
    Path edge = SpecialFiles.sparse(dir.resolve("edge.json"), 1024 * 1024);
    assertThat(parseFails(edge)).hasMessageNotContaining("more than");
  }
}
