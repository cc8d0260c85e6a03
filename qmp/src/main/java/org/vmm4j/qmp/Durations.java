package org.vmm4j.qmp;

import java.time.Duration;
import java.util.Locale;

/** Durations in messages: {@code 5 s}, {@code 250 ms}. */
final class Durations {
  private Durations() {}

  static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 1000 == 0) {
      return ms / 1000 + " s";
    }
    return ms >= 10_000 ? String.format(Locale.ROOT, "%.1f s", ms / 1000.0) : ms + " ms";
  }
}
