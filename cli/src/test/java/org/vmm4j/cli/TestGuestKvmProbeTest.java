package org.vmm4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.host.Availability;
import org.vmm4j.core.host.KvmVerdict;
import org.vmm4j.testguest.KvmProbeResult;

/** The adapter's words for {@code KvmProbe}'s answers, and a guest that cannot be built. */
class TestGuestKvmProbeTest {
  private static final Duration DEADLINE = Duration.ofSeconds(4);

  private static KvmVerdict of(boolean usable, String reason, long ms, boolean cached) {
    return TestGuestKvmProbe.verdict(
        new KvmProbeResult(usable, reason, Duration.ofMillis(ms), cached, "kvm", "host"), DEADLINE);
  }

  @Test
  void aGuestThatSpokeIsUsableWithItsBootTime() {
    KvmVerdict v = of(true, "the guest's agent said READY after 0.42 s", 423, true);
    assertThat(v)
        .isEqualTo(KvmVerdict.usable("probe guest booted in 0.42 s", Duration.ofMillis(423), true));
  }

  @Test
  void aHangSaysTheDeadlineAndKeepsTheConsoleAsDetail() {
    String raw = "no agent line within 4000 ms (the guest hangs); console: (nothing); QEMU: x";
    KvmVerdict v = of(false, raw, 4001, false);
    assertThat(v.availability()).isEqualTo(Availability.UNUSABLE);
    assertThat(v.reason())
        .isEqualTo(
            "the KVM probe guest did not print its first line within 4 s (it hangs under KVM)");
    assertThat(v.detail()).isEqualTo(raw);
    assertThat(v.elapsed()).isEqualTo(Duration.ofMillis(4001));
  }

  @Test
  void qemuExitingIsUnusableWithItsError() {
    String raw =
        "QEMU exited with status 1: qemu-system-x86_64: error: failed to set MSR 0x48f to"
            + " 0x7fffff00036dfb";
    KvmVerdict v = of(false, raw, 80, false);
    assertThat(v.availability()).isEqualTo(Availability.UNUSABLE);
    assertThat(v.reason()).isEqualTo("QEMU exited while booting the KVM probe guest: " + raw);
  }

  @Test
  void noDeviceAndNoAccess() {
    assertThat(of(false, "no /dev/kvm", 0, false).availability()).isEqualTo(Availability.ABSENT);
    assertThat(of(false, "no /dev/kvm", 0, false).reason()).isEqualTo("/dev/kvm is absent");
    KvmVerdict noAccess = of(false, "no access to /dev/kvm", 0, false);
    assertThat(noAccess.availability()).isEqualTo(Availability.UNUSABLE);
    assertThat(noAccess.reason()).isEqualTo("no read/write access to /dev/kvm");
  }

  @Test
  void anythingElseIsUnusableAndShortened() {
    KvmVerdict v = of(false, "x".repeat(300), 10, false);
    assertThat(v.reason()).isEqualTo("the KVM probe guest did not run: " + "x".repeat(160) + "...");
    assertThat(v.detail()).hasSize(300);
  }

  @Test
  void aGuestThatCannotBeBuiltLeavesKvmUnknown() {
    TestGuestKvmProbe probe =
        new TestGuestKvmProbe(
            () -> {
              throw new IllegalStateException("apt-get download failed: no network");
            },
            UnaryOperator.identity());
    KvmVerdict v = probe.probe(Path.of("/usr/bin/qemu-system-x86_64"), DEADLINE);
    assertThat(v.availability()).isEqualTo(Availability.UNKNOWN);
    assertThat(v.reason())
        .isEqualTo("the KVM probe guest could not be built: apt-get download failed: no network");
  }
}
