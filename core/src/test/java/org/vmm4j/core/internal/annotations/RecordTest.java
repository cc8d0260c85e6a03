package org.vmm4j.core.internal.annotations;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.HostCapabilities;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.core.api.SandboxSpec;
import org.vmm4j.persist.ContainerConfig;
import org.vmm4j.persist.LinuxResources;
import org.vmm4j.persist.PersistCodec;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.testing.persist.SampleStates;

/** A sandbox records its annotations in {@code SandboxConfig.ContainerConfigs}, as Kata's. */
class RecordTest {
  static final Map<String, String> ANNOTATIONS =
      Map.of(
          Annotations.HYPERVISOR_PREFIX + "default_memory",
          "256",
          "io.kubernetes.cri.sandbox-id",
          "s1");

  @Test
  void theSandboxContainerCarriesTheAnnotations() {
    SandboxState s = SampleStates.sandbox("s1", 0, 0);
    SandboxState recorded = Annotations.record(s, ANNOTATIONS);
    List<ContainerConfig> configs = recorded.config().containerConfigs();
    assertThat(configs).hasSize(1);
    ContainerConfig cc = configs.get(0);
    assertThat(cc.id()).isEqualTo("s1");
    assertThat(cc.rootFs()).isEmpty();
    assertThat(cc.resources()).isEqualTo(LinuxResources.builder().build());
    assertThat(cc.annotations())
        .containsAllEntriesOf(ANNOTATIONS)
        .containsEntry("io.katacontainers.pkg.oci.container_type", "pod_sandbox")
        .hasSize(3);
    assertThat(recorded.toBuilder().config(s.config()).build()).isEqualTo(s);
    assertThat(Annotations.record(s, Map.of())).isSameAs(s);
  }

  @Test
  void replacesItsOwnEntryAndKeepsOtherContainers() {
    ContainerConfig other =
        new ContainerConfig("c2", Map.of(), "/rootfs", LinuxResources.builder().build());
    SandboxState s = SampleStates.sandbox("s1", 0, 0);
    s =
        s.toBuilder()
            .config(s.config().toBuilder().containerConfigs(List.of(other)).build())
            .build();
    SandboxState once = Annotations.record(s, ANNOTATIONS);
    SandboxState twice = Annotations.record(once, Map.of("a", "b"));
    assertThat(twice.config().containerConfigs())
        .extracting(ContainerConfig::id)
        .containsExactly("s1", "c2");
    assertThat(twice.config().containerConfigs().get(0).annotations()).containsKey("a").hasSize(2);
  }

  @Test
  void persistJsonHasTheAnnotationsSorted() {
    SandboxState s = Annotations.record(SampleStates.sandbox("s1", 0, 0), ANNOTATIONS);
    String json = new String(PersistCodec.encode(s), StandardCharsets.UTF_8);
    assertThat(json)
        .contains(
            "\"ContainerConfigs\":[{\"ID\":\"s1\",\"Annotations\":{"
                + "\"io.katacontainers.config.hypervisor.default_memory\":\"256\","
                + "\"io.katacontainers.pkg.oci.container_type\":\"pod_sandbox\","
                + "\"io.kubernetes.cri.sandbox-id\":\"s1\"},\"RootFs\":\"\",\"Resources\":{}}]");
  }

  @Test
  void specCarriesAnnotationsThroughItsWithers() {
    SandboxSpec spec =
        SandboxSpec.of(
                "s1",
                RuntimeConfig.shimV2(org.vmm4j.core.api.HypervisorConfig.zero(), false),
                new HostCapabilities(false, false, false, false, 1024))
            .withAnnotations(ANNOTATIONS)
            .withNetNsPath("/var/run/netns/x");
    assertThat(spec.annotations()).isEqualTo(ANNOTATIONS);
    assertThat(spec.netNsPath()).isEqualTo("/var/run/netns/x");
    assertThat(spec.withAnnotations(null).annotations()).isEmpty();
  }
}
