package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.internal.config.ConfigFields;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The field table is the persisted schema's {@code HypervisorConfig}, then the live extras. */
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
  }

  /** Each entry reads and writes its own component, in record order. */
  @Test
  void everyRecordComponentHasExactlyOneFieldInOrder() throws Exception {
    RecordComponent[] components = HypervisorConfig.class.getRecordComponents();
    assertThat(ConfigFields.ALL).hasSameSizeAs(components);
    HypervisorConfig zero = HypervisorConfig.builder().build();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < components.length; i++) {
      ConfigFields.Field f = ConfigFields.ALL.get(i);
      assertThat(names.add(f.name())).as("unique %s", f.name()).isTrue();
      assertThat(f.name().toLowerCase()).isEqualTo(components[i].getName().toLowerCase());
      HypervisorConfigBuilder b = zero.toBuilder();
      Object value = sampleValue(f.kind());
      f.set().accept(b, value);
      HypervisorConfig changed = b.build();
      assertThat(components[i].getAccessor().invoke(changed)).isEqualTo(value);
      assertThat(f.get().apply(changed)).isEqualTo(value);
      for (int j = 0; j < components.length; j++) {
        if (j != i) {
          assertThat(components[j].getAccessor().invoke(changed))
              .as("%s leaves %s alone", f.name(), components[j].getName())
              .isEqualTo(components[j].getAccessor().invoke(zero));
        }
      }
    }
  }

  private static Object sampleValue(ConfigFields.Kind kind) {
    return switch (kind) {
      case UINT32 -> 7L;
      case BOOL -> true;
      case STRING -> "x";
      case STRINGS -> List.of("a", "b");
      case PARAMS -> List.of(new KernelParam("k", "v"));
      case ACCELERATOR -> Accelerator.TCG;
    };
  }
}
