package org.vmm4j.persist;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.vmm4j.testing.modules.PackageCycles;

/** No package of this module depends on one that depends back on it ({@code jdeps}). */
class PackageCyclesTest {
  @Test
  void none() {
    assertThat(PackageCycles.of(PersistCodec.class)).isEmpty();
  }
}
