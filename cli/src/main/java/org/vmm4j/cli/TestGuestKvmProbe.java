package org.vmm4j.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.vmm4j.core.host.Availability;
import org.vmm4j.core.host.HostCheck;
import org.vmm4j.core.host.KvmUsability;
import org.vmm4j.core.host.KvmVerdict;
import org.vmm4j.testguest.GuestArtifacts;
import org.vmm4j.testguest.KvmProbe;
import org.vmm4j.testguest.KvmProbeResult;
import org.vmm4j.testguest.TestGuest;

/**
 * The real {@link KvmUsability}: boots the test guest with {@code -accel kvm -cpu host} ({@link
 * KvmProbe}) and says whether its agent spoke before the deadline. The guest is built the first
 * time (minutes: a Debian kernel is downloaded; progress goes to {@code progress}) and taken from
 * the cache afterwards; {@link KvmProbe} remembers its answer per host boot, QEMU and guest, so
 * only the first check after a reboot boots anything.
 *
 * <pre>{@code
 * HostReport host =
 *     HostCheck.builder().kvmProbe(new TestGuestKvmProbe(progress)).build().run();
 * }</pre>
 */
public final class TestGuestKvmProbe implements KvmUsability {
  private final Supplier<GuestArtifacts> guest;
  private final UnaryOperator<KvmProbe> options;

  /** Builds (or takes from the cache) the default test guest, reporting build steps to progress. */
  public TestGuestKvmProbe(Consumer<String> progress) {
    this(() -> TestGuest.withDefaults().ensureBuilt(progress), UnaryOperator.identity());
  }

  /**
   * A probe of {@code guest} whose {@link KvmProbe} is adjusted by {@code options} (a cache
   * directory, or TCG to see the success path on a host without KVM).
   */
  TestGuestKvmProbe(Supplier<GuestArtifacts> guest, UnaryOperator<KvmProbe> options) {
    this.guest = Objects.requireNonNull(guest, "guest");
    this.options = Objects.requireNonNull(options, "options");
  }

  @Override
  public KvmVerdict probe(Path qemu, Duration deadline) {
    GuestArtifacts g;
    try {
      g = guest.get();
    } catch (RuntimeException e) {
      return KvmVerdict.unknown(
          "the KVM probe guest could not be built: " + Errors.describe(e), e.toString());
    }
    KvmProbeResult r;
    try {
      r = options.apply(KvmProbe.kvm(qemu).withTimeout(deadline)).probe(g);
    } catch (RuntimeException e) {
      return KvmVerdict.unknown("the KVM probe could not run: " + Errors.describe(e), e.toString());
    }
    return verdict(r, deadline);
  }

  /** {@link KvmProbe}'s answer in the host check's words. */
  static KvmVerdict verdict(KvmProbeResult r, Duration deadline) {
    String raw = r.reason();
    if (r.usable()) {
      return KvmVerdict.usable(
          String.format(Locale.ROOT, "probe guest booted in %.2f s", r.elapsed().toNanos() / 1e9),
          r.elapsed(),
          r.fromCache());
    }
    if (raw.equals("no /dev/kvm")) {
      return new KvmVerdict(Availability.ABSENT, "/dev/kvm is absent", "", r.elapsed(), false);
    }
    String reason;
    if (raw.equals("no access to /dev/kvm")) {
      reason = "no read/write access to /dev/kvm";
    } else if (raw.startsWith("no agent line within ")) {
      reason =
          "the KVM probe guest did not print its first line within "
              + HostCheck.seconds(deadline)
              + " (it hangs under KVM)";
    } else if (raw.startsWith("QEMU exited with status ")) {
      reason = "QEMU exited while booting the KVM probe guest: " + shorten(raw, 160);
    } else {
      reason = "the KVM probe guest did not run: " + shorten(raw, 160);
    }
    return KvmVerdict.unusable(reason, raw, r.elapsed(), r.fromCache());
  }

  private static String shorten(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n) + "...";
  }
}
