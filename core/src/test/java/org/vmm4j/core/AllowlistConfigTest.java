package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vmm4j.core.AssetConfigs.initrdConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.LoadOptions;
import org.vmm4j.testing.qemu.TestAssets;

/**
 * vmm4j's own annotation allowlists ({@code valid_kernel_paths} ... {@code valid_config_paths})
 * load from TOML and JSON, are empty by default, and bad allowlist entries are config errors.
 */
class AllowlistConfigTest {
  static final LoadOptions HOST = new LoadOptions(2, false, false);

  @TempDir Path dir;
  TestAssets a;

  @BeforeEach
  void setUp() {
    a = TestAssets.create(dir);
  }

  private Path toml(String extra) throws Exception {
    return Files.writeString(
        dir.resolve("c.toml"),
        "[hypervisor.qemu]\n"
            + "path = \"/usr/bin/qemu-system-x86_64\"\n"
            + "kernel = \""
            + a.kernel()
            + "\"\ninitrd = \""
            + a.initrd()
            + "\"\n"
            + extra);
  }

  @Test
  void tomlKeysFillTheLists() throws Exception {
    HypervisorConfig c =
        ConfigLoader.parse(
                toml(
                    "valid_kernel_paths = [\"/k/*\"]\n"
                        + "valid_image_paths = [\"/i/*\"]\n"
                        + "valid_initrd_paths = [\"/r/*\"]\n"
                        + "valid_firmware_paths = [\"/f/*\"]\n"
                        + "valid_entropy_sources = [\"/dev/urandom\"]\n"
                        + "valid_config_paths = [\"/etc/kata/*.toml\"]\n"),
                HOST)
            .hypervisor();
    assertThat(c.live().kernelPathList()).containsExactly("/k/*");
    assertThat(c.live().imagePathList()).containsExactly("/i/*");
    assertThat(c.live().initrdPathList()).containsExactly("/r/*");
    assertThat(c.live().firmwarePathList()).containsExactly("/f/*");
    assertThat(c.live().entropySourceList()).containsExactly("/dev/urandom");
    assertThat(c.live().configPathList()).containsExactly("/etc/kata/*.toml");
    HypervisorConfig none = ConfigLoader.parse(toml(""), HOST).hypervisor();
    assertThat(none.live().kernelPathList()).isEmpty();
    assertThat(none.live().configPathList()).isEmpty();
  }

  @Test
  void jsonFieldsFillTheListsAndRoundTrip() {
    HypervisorConfig c =
        initrdConfig(a)
            .editLive(
                l ->
                    l.kernelPathList(List.of("/k/*"))
                        .entropySourceList(List.of("/dev/urandom", "/dev/hwrng"))
                        .configPathList(List.of("/etc/vmm4j/*.json")));
    String json = ConfigLoader.toJson(c);
    assertThat(json).contains("\"KernelPathList\" : [ \"/k/*\" ]");
    assertThat(ConfigLoader.fromJson(json, "c.json", HOST).hypervisor()).isEqualTo(c);
    assertThat(c.toPersisted().toString()).doesNotContain("KernelPathList");
  }

  @Test
  void badEntriesFailTheLoad() throws Exception {
    assertThatThrownBy(() -> ConfigLoader.load(toml("enable_annotations = [\"(\"]\n"), HOST))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("EnableAnnotations=( is not a valid regular expression");
    assertThatThrownBy(
            () -> ConfigLoader.load(toml("valid_hypervisor_paths = [\"qemu*\"]\n"), HOST))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("HypervisorPathList=qemu* is not absolute");
    assertThatThrownBy(
            () -> ConfigLoader.load(toml("valid_kernel_paths = [\"/boot/../etc/*\"]\n"), HOST))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("KernelPathList=/boot/../etc/* is not in normal form");
    // Kata's shipped entries load
    ConfigLoader.load(
        toml(
            "enable_annotations = [\".*\"]\nvalid_file_mem_backends = [\"\"]\n"
                + "valid_vhost_user_store_paths = [\"/var/run/kata-containers/vhost-user\"]\n"),
        HOST);
  }
}
