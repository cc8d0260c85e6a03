package org.vmm4j.core.host;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link KvmUsability} probe found.
 *
 * @param availability {@link Availability#USABLE} (a guest ran), {@link Availability#UNUSABLE} (it
 *     did not), or {@link Availability#UNKNOWN} (the probe could not run, e.g. its guest could not
 *     be built); {@link Availability#ABSENT} when the probe found no {@code /dev/kvm}
 * @param reason one short sentence without a trailing period ("probe guest booted in 0.42 s", "the
 *     KVM probe guest did not print its first line within 3 s")
 * @param detail what backs the reason (QEMU's error, the end of the guest's console); may be empty
 * @param elapsed how long the probe took (its own boot, or the one it remembers)
 * @param fromCache the answer was remembered from an earlier probe in this host boot
 */
public record KvmVerdict(
    Availability availability, String reason, String detail, Duration elapsed, boolean fromCache) {
  public KvmVerdict {
    Objects.requireNonNull(availability, "availability");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(elapsed, "elapsed");
  }

  /** A guest ran with KVM. */
  public static KvmVerdict usable(String reason, Duration elapsed, boolean fromCache) {
    return new KvmVerdict(Availability.USABLE, reason, "", elapsed, fromCache);
  }

  /** A guest did not run with KVM. */
  public static KvmVerdict unusable(
      String reason, String detail, Duration elapsed, boolean fromCache) {
    return new KvmVerdict(Availability.UNUSABLE, reason, detail, elapsed, fromCache);
  }

  /** The probe could not find out. */
  public static KvmVerdict unknown(String reason, String detail) {
    return new KvmVerdict(Availability.UNKNOWN, reason, detail, Duration.ZERO, false);
  }

  public boolean usable() {
    return availability == Availability.USABLE;
  }
}
