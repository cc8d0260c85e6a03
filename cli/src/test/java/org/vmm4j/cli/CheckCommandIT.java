package org.vmm4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.host.Availability;
import org.vmm4j.core.host.HostCheck;
import org.vmm4j.core.host.KvmVerdict;
import org.vmm4j.testguest.GuestArtifacts;
import org.vmm4j.testguest.TestGuest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code vmm4j check} on this host, and the real KVM probe adapter. */
class CheckCommandIT {
  private static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");

  @TempDir Path cache;

  @Test
  void checkOnThisHost() throws Exception {
    assumeTrue(Files.isExecutable(QEMU), "no " + QEMU + " (install qemu-system-x86)");
    CliRun text = CliRun.of("check");
    System.err.print(text.out() + text.err());
    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.out()).contains("QEMU          " + QEMU + ": QEMU emulator version ");

    CliRun json = CliRun.of("check", "--json");
    assertThat(json.exitCode()).isZero();
    JsonNode j = JsonMapper.builder().build().readTree(json.out());
    JsonNode kvm = j.get("kvm");
    String accel = j.get("acceleratorReason").asString();
    // the first run may have probed KVM and the second read its verdict back (or both read it)
    String fresh = accel.replace(HostCheck.FROM_CACHE, "");
    assertThat(text.out())
        .containsAnyOf(
            "accelerator   " + fresh + "\n",
            "accelerator   " + fresh + HostCheck.FROM_CACHE + "\n");
    assertThat(kvm.get("present").asBoolean()).isEqualTo(Files.exists(HostCheck.DEV_KVM));
    if (!Files.exists(HostCheck.DEV_KVM)) {
      assertThat(accel).isEqualTo("tcg: /dev/kvm is absent");
      assertThat(kvm.get("probe").isNull()).isTrue();
      return;
    }
    // With /dev/kvm the probe boots the test guest: a usable KVM, or a clear no within the
    // deadline (a PVM host's guest hangs), never "unknown".
    JsonNode probe = kvm.get("probe");
    assertThat(probe.get("status").asString()).isIn("usable", "unusable");
    assertThat(accel).startsWith(probe.get("status").asString().equals("usable") ? "kvm" : "tcg");
    assertThat(probe.get("elapsedMillis").asLong())
        .isLessThan(HostCheck.DEFAULT_PROBE_TIMEOUT.toMillis() + 2000);
  }

  @Test
  void theAdapterBootsTheTestGuestAndNeedsDevKvmForKvm() {
    assumeTrue(Files.isExecutable(QEMU), "no " + QEMU + " (install qemu-system-x86)");
    List<String> progress = new ArrayList<>();
    Supplier<GuestArtifacts> guest = () -> TestGuest.withDefaults().ensureBuilt(progress::add);
    // Under TCG the same probe boots: the success path of the adapter, end to end.
    KvmVerdict tcg =
        new TestGuestKvmProbe(guest, p -> p.withTcg().withCacheDir(cache))
            .probe(QEMU, Duration.ofSeconds(60));
    assertThat(tcg.availability()).as(tcg.reason()).isEqualTo(Availability.USABLE);
    assertThat(tcg.reason()).matches("probe guest booted in \\d+\\.\\d\\d s");
    assertThat(tcg.fromCache()).isFalse();
    KvmVerdict again =
        new TestGuestKvmProbe(guest, p -> p.withTcg().withCacheDir(cache))
            .probe(QEMU, Duration.ofSeconds(60));
    assertThat(again.fromCache()).isTrue();

    if (!Files.exists(HostCheck.DEV_KVM)) {
      KvmVerdict kvm =
          new TestGuestKvmProbe(guest, p -> p.withCacheDir(cache))
              .probe(QEMU, HostCheck.DEFAULT_PROBE_TIMEOUT);
      assertThat(kvm.availability()).isEqualTo(Availability.ABSENT);
      assertThat(kvm.reason()).isEqualTo("/dev/kvm is absent");
    }
  }
}
