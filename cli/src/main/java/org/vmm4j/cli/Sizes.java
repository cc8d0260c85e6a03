package org.vmm4j.cli;

import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes on the command line: {@code 256M}, {@code 1G}, {@code 512MiB}; a bare number is MiB. */
final class Sizes {
  private static final Pattern SIZE =
      Pattern.compile("([0-9]{1,12})\\s*(?:([KMGT])(?:i?B)?)?", Pattern.CASE_INSENSITIVE);

  /** The most MiB whose size in bytes fits in a {@code long} (8 EiB). */
  static final long MAX_MIB = Long.MAX_VALUE >> 20;

  private Sizes() {}

  /**
   * The size in whole MiB; empty when malformed, not a whole number of MiB, or {@link #MAX_MIB} or
   * more.
   */
  static OptionalLong mib(String text) {
    Matcher m = SIZE.matcher(text.strip());
    if (!m.matches()) {
      return OptionalLong.empty();
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "M" : m.group(2).toUpperCase(Locale.ROOT);
    long mib =
        switch (unit) {
          case "K" -> n % 1024 == 0 ? n / 1024 : -1;
          case "M" -> n;
          case "G" -> n * 1024; // n < 10^12: no overflow
          case "T" -> n <= MAX_MIB >> 20 ? n << 20 : -1;
          default -> throw new AssertionError(unit);
        };
    return mib < 0 || mib > MAX_MIB ? OptionalLong.empty() : OptionalLong.of(mib);
  }
}
