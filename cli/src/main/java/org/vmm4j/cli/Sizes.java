package org.vmm4j.cli;

import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes on the command line: {@code 256M}, {@code 1G}, {@code 512MiB}; a bare number is MiB. */
final class Sizes {
  private static final Pattern SIZE =
      Pattern.compile("([0-9]{1,12})\\s*(?:([KMGT])(?:i?B)?)?", Pattern.CASE_INSENSITIVE);

  private Sizes() {}

  /** The size in whole MiB; empty when malformed, not a whole number of MiB, or too large. */
  static OptionalLong mib(String text) {
    Matcher m = SIZE.matcher(text.strip());
    if (!m.matches()) {
      return OptionalLong.empty();
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "M" : m.group(2).toUpperCase(Locale.ROOT);
    return switch (unit) {
      case "K" -> n % 1024 == 0 ? OptionalLong.of(n / 1024) : OptionalLong.empty();
      case "M" -> OptionalLong.of(n);
      case "G" -> OptionalLong.of(n * 1024);
      case "T" -> n <= (Long.MAX_VALUE >> 20) ? OptionalLong.of(n << 20) : OptionalLong.empty();
      default -> throw new AssertionError(unit);
    };
  }
}
