package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.HostCapabilities;
import org.vmm4j.core.api.HostException;

class HostCapabilitiesTest {

  @Test
  void memTotalIsKibibytesOverOneThousandTwentyFour() {
    assertThat(HostCapabilities.memTotalMiB("MemTotal:       24578232 kB\nMemFree: 1 kB\n"))
        .isEqualTo(24002);
    assertThatThrownBy(() -> HostCapabilities.memTotalMiB("MemFree: 1 kB\n"))
        .isInstanceOf(HostException.class)
        .hasMessageContaining("MemTotal");
  }

  @Test
  void runningOnVmmLooksAtTheFirstFlagsLine() {
    assertThat(HostCapabilities.runningOnVmm("processor: 0\nflags\t\t: fpu vme hypervisor lm\n"))
        .isTrue();
    assertThat(HostCapabilities.runningOnVmm("flags : fpu vme\nflags : hypervisor\n")).isFalse();
  }
}
