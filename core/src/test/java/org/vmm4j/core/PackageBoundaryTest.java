package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vmm4j.testing.modules.PackageCycles;

/**
 * Core's packages as {@code jdeps} reads its classes: no package depends on one that depends back
 * on it, and the API ({@code org.vmm4j.core.api}, {@code org.vmm4j.core.host}) never reaches into
 * {@code org.vmm4j.core.internal}, so what an embedder is given holds no internal type.
 */
class PackageBoundaryTest {
  @Test
  void noPackageCycle() {
    assertThat(PackageCycles.of(Sandbox.class)).isEmpty();
  }

  @Test
  void theApiPackagesUseNoInternalOne() {
    Map<String, Set<String>> deps = PackageCycles.dependencies(Sandbox.class);
    assertThat(deps).containsKeys("org.vmm4j.core", "org.vmm4j.core.api", "org.vmm4j.core.host");
    for (String api : Set.of("org.vmm4j.core.api", "org.vmm4j.core.host")) {
      assertThat(deps.get(api))
          .as("what %s depends on", api)
          .noneMatch(p -> p.startsWith("org.vmm4j.core.internal"));
    }
  }

  @Test
  void theModuleExportsTheApiOnly() {
    assertThat(Sandbox.class.getModule().isNamed()).as("core runs as a named module here").isTrue();
    assertThat(Sandbox.class.getModule().getDescriptor().exports())
        .extracting(e -> e.source())
        .containsExactlyInAnyOrder("org.vmm4j.core", "org.vmm4j.core.api", "org.vmm4j.core.host");
  }
}
