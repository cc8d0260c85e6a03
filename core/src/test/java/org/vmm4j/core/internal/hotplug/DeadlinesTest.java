package org.vmm4j.core.internal.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.qmp.QmpOptions;

/** A sandbox's transaction deadlines come from its {@link SandboxOptions}, each settable. */
class DeadlinesTest {
  @Test
  void eachDeadlineComesFromTheOptions() {
    SandboxOptions o =
        SandboxOptions.defaults()
            .withQmpOptions(
                QmpOptions.defaults()
                    .withCommandTimeout(Duration.ofSeconds(7))
                    .withDeviceDeletedTimeout(Duration.ofSeconds(3)))
            .withCpuEjectTimeout(Duration.ofSeconds(30));
    assertThat(Deadlines.of(o))
        .isEqualTo(
            new Deadlines(Duration.ofSeconds(7), Duration.ofSeconds(3), Duration.ofSeconds(30)));
    assertThat(Deadlines.defaults().cpuEject()).isEqualTo(SandboxOptions.DEFAULT_CPU_EJECT_TIMEOUT);
  }

  @Test
  void aCopyChangesOneComponentAndKeepsTheOthers() {
    SandboxOptions o = SandboxOptions.defaults().withCpuEjectTimeout(Duration.ofSeconds(30));
    SandboxOptions p = o.withLockTimeout(Duration.ofSeconds(2));
    assertThat(p.cpuEjectTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.lockTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(p.withLockTimeout(o.lockTimeout())).isEqualTo(o);
    assertThatThrownBy(() -> o.withCpuEjectTimeout(Duration.ZERO))
        .hasMessage("cpuEjectTimeout must be positive: PT0S");
  }
}
