package org.vmm4j.it.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.testguest.GuestArtifacts;
import org.vmm4j.testguest.KvmProbe;
import org.vmm4j.testguest.KvmProbeResult;

/**
 * The usable-KVM probe. Its success path runs under TCG (a guest that boots); its failure paths are
 * a deadline the guest cannot meet, a QEMU that exits at once, and (on these hosts) KVM itself.
 */
class KvmProbeIT {
  @TempDir Path cache;

  private KvmProbe probe() {
    return KvmProbe.kvm(Path.of(TestVm.QEMU)).withCacheDir(cache);
  }

  @Test
  void tcgGuestIsUsableAndTheAnswerIsCached() {
    GuestArtifacts g = TestVm.guest();
    KvmProbe tcg = probe().withTcg().withTimeout(Duration.ofSeconds(30));
    KvmProbeResult r = tcg.probe(g);
    assertThat(r.usable()).as(r.reason()).isTrue();
    assertThat(r.reason()).startsWith("the guest's agent said READY after ");
    assertThat(r.fromCache()).isFalse();
    assertThat(r.accel()).isEqualTo("tcg");
    System.err.printf("KVM probe under TCG: READY after %.2f s%n", r.elapsed().toNanos() / 1e9);

    KvmProbeResult again = tcg.probe(g);
    assertThat(again.fromCache()).isTrue();
    assertThat(again.usable()).isTrue();
    assertThat(again.elapsed().toMillis()).isEqualTo(r.elapsed().toMillis());
  }

  @Test
  void guestThatCannotMeetTheDeadlineIsNotUsable() {
    KvmProbeResult r = probe().withTcg().withTimeout(Duration.ofMillis(300)).probe(TestVm.guest());
    assertThat(r.usable()).isFalse();
    assertThat(r.reason()).startsWith("no agent line within 300 ms (the guest hangs); console: ");
  }

  @Test
  void qemuThatExitsAtOnceIsNotUsableWithItsError() {
    KvmProbeResult r = probe().withTcg().withCpu("no-such-cpu").probe(TestVm.guest());
    assertThat(r.usable()).isFalse();
    assertThat(r.reason()).startsWith("QEMU exited with status 1: ").contains("no-such-cpu");
  }

  @Test
  void kvmAnswersWithinItsDeadlineAndIsCached() {
    KvmProbe kvm = probe().withTimeout(Duration.ofSeconds(5));
    KvmProbeResult r = kvm.probe(TestVm.guest());
    assertThat(r.accel()).isEqualTo("kvm");
    assertThat(r.cpu()).isEqualTo("host");
    if (!Files.exists(KvmProbe.DEV_KVM)) {
      assertThat(r.usable()).isFalse();
      assertThat(r.reason()).isEqualTo("no /dev/kvm");
      return;
    }
    // With /dev/kvm: usable on a real KVM host; on a PVM host -cpu host aborts (QEMU exits) and
    // other models hang (deadline). Either way the answer is recorded for this boot.
    System.err.println("KVM probe: " + r);
    assertThat(r.elapsed()).isLessThan(Duration.ofSeconds(6));
    if (!r.usable()) {
      assertThat(r.reason()).matches("(QEMU exited with status .*|no agent line within 5000 ms.*)");
    }
    assertThat(kvm.probe(TestVm.guest()).fromCache()).isTrue();
  }
}
