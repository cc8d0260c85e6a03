package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.KernelParam;
import org.vmm4j.core.internal.config.ConfigFields;
import org.vmm4j.persist.codec.GoType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The field table is read from the records: Kata's persisted {@code HypervisorConfig} (in the Go
 * sample's order), then the live settings; each field reads and writes its own component only.
 */
class ConfigFieldsTest {

  @Test
  void persistedFieldsAreTheGoSamplesKeysInOrder() throws Exception {
    JsonNode sample;
    try (InputStream in = getClass().getResourceAsStream("persisted-hypervisor-config.json")) {
      sample = JsonMapper.builder().build().readTree(in);
    }
    List<String> goKeys = new ArrayList<>(sample.propertyNames());
    assertThat(ConfigFields.PERSISTED.stream().map(ConfigFields.Field::name).toList())
        .containsExactlyElementsOf(goKeys);
    assertThat(ConfigFields.PERSISTED).allMatch(ConfigFields.Field::persisted);
  }

  @Test
  void liveFieldsAreTheDocumentedExtras() {
    assertThat(ConfigFields.LIVE.stream().map(ConfigFields.Field::name))
        .containsExactly(
            "KernelParams",
            "HypervisorParams",
            "PFlash",
            "IOMMU",
            "IOMMUPlatform",
            "NativePCIeHotplug",
            "Accelerator",
            "SharedMemory",
            "DisableQemuSeccomp",
            "KernelPathList",
            "ImagePathList",
            "InitrdPathList",
            "FirmwarePathList",
            "EntropySourceList",
            "ConfigPathList");
    assertThat(ConfigFields.LIVE).noneMatch(ConfigFields.Field::persisted);
  }

  @Test
  void goIntegersKeepTheirType() {
    assertThat(ConfigFields.field("NumVCPUs").goType()).isEqualTo(GoType.UINT32);
    assertThat(ConfigFields.field("PCIeRootPort").goType()).isEqualTo(GoType.UINT32);
    assertThat(ConfigFields.field("Debug").goType()).isEqualTo(GoType.NONE);
    assertThat(ConfigFields.byName("NumVCPUS")).isNull();
    assertThatThrownBy(() -> ConfigFields.field("NumVCPUS"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NumVCPUS");
  }

  /** Setting one field through a draft changes that component and no other. */
  @Test
  void everyFieldSetsExactlyItsOwnComponent() {
    HypervisorConfig zero = HypervisorConfig.zero();
    Set<String> names = new HashSet<>();
    for (ConfigFields.Field f : ConfigFields.ALL) {
      assertThat(names.add(f.name())).as("unique %s", f.name()).isTrue();
      Object value = sampleValue(f.kind());
      ConfigFields.Draft d = new ConfigFields.Draft(zero.kata(), zero.live());
      d.set(f, value);
      HypervisorConfig changed = new HypervisorConfig(d.kata(), d.live());
      assertThat(f.get(changed.kata(), changed.live())).as(f.name()).isEqualTo(value);
      for (ConfigFields.Field other : ConfigFields.ALL) {
        if (other != f) {
          assertThat(other.get(changed.kata(), changed.live()))
              .as("%s leaves %s alone", f.name(), other.name())
              .isEqualTo(other.get(zero.kata(), zero.live()));
        }
      }
    }
  }

  @Test
  void aValueOfTheWrongTypeIsRefused() {
    HypervisorConfig zero = HypervisorConfig.zero();
    ConfigFields.Draft d = new ConfigFields.Draft(zero.kata(), zero.live());
    assertThatThrownBy(() -> d.set(ConfigFields.field("NumVCPUs"), "1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NumVCPUs");
    assertThatThrownBy(() -> d.set(ConfigFields.field("KernelPath"), null))
        .isInstanceOf(IllegalArgumentException.class);
    d.set(ConfigFields.field("EnableAnnotations"), null);
    assertThat(d.kata().enableAnnotations()).isNull();
  }

  private static Object sampleValue(ConfigFields.Kind kind) {
    return switch (kind) {
      case INTEGER -> 7L;
      case BOOL -> true;
      case STRING -> "x";
      case STRINGS -> List.of("a", "b");
      case PARAMS -> List.of(new KernelParam("k", "v"));
      case ACCELERATOR -> Accelerator.TCG;
    };
  }
}
