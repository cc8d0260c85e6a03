package org.vmm4j.core.internal.vm;

import java.math.BigDecimal;
import java.time.Duration;

/** A point in time a sequence of steps must finish by, on the monotonic clock. */
public final class Deadline {
  private final long at;
  private final Duration total;

  private Deadline(Duration total) {
    this.total = total;
    this.at = System.nanoTime() + total.toNanos();
  }

  /** {@code total} from now. */
  public static Deadline after(Duration total) {
    return new Deadline(total);
  }

  /** What is left, at least 1 ms (so that it can be given to a call as its timeout). */
  public Duration remaining() {
    return Duration.ofNanos(Math.max(1_000_000, at - System.nanoTime()));
  }

  /** {@code d} or what is left, whichever is shorter. */
  public Duration atMost(Duration d) {
    Duration r = remaining();
    return d.compareTo(r) < 0 ? d : r;
  }

  public boolean expired() {
    return System.nanoTime() - at >= 0;
  }

  /** The whole span. */
  public Duration total() {
    return total;
  }

  /** {@code "10s"}, {@code "0.25s"}. */
  public static String text(Duration d) {
    return BigDecimal.valueOf(d.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString()
        + "s";
  }
}
