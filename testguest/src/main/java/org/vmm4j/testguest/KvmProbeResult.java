package org.vmm4j.testguest;

import java.time.Duration;

/**
 * Whether a guest actually ran with an accelerator.
 *
 * @param usable the test guest's agent said READY before the deadline
 * @param reason why not (QEMU's error, or what the console showed before the deadline); for a
 *     usable result, a short summary
 * @param elapsed from QEMU's start to READY, or to the failure
 * @param fromCache the result was recorded earlier in this host boot for the same QEMU, guest and
 *     options
 * @param accel {@code kvm} or {@code tcg}
 * @param cpu the {@code -cpu} model used
 */
public record KvmProbeResult(
    boolean usable, String reason, Duration elapsed, boolean fromCache, String accel, String cpu) {

  KvmProbeResult cached() {
    return new KvmProbeResult(usable, reason, elapsed, true, accel, cpu);
  }
}
