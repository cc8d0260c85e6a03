package org.vmm4j.persist;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go's {@code time.Time} in JSON: RFC 3339 with up to nine fractional digits and no trailing zeros,
 * the original offset kept ({@code Z} when it is zero), years 0..9999 only.
 */
public final class GoTime {
  /** Go's zero time, {@code "0001-01-01T00:00:00Z"}. */
  public static final OffsetDateTime ZERO = OffsetDateTime.of(1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

  private static final Pattern RFC3339 =
      Pattern.compile(
          "(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?"
              + "(Z|([+-])(\\d{2}):(\\d{2}))");

  private GoTime() {}

  /**
   * Parses what Go's {@code time.Time.MarshalJSON} writes (the text without quotes).
   *
   * @throws IllegalArgumentException when it is not an RFC 3339 time with at most nine fractional
   *     digits, or a field is out of range
   */
  public static OffsetDateTime parse(String text) {
    Matcher m = RFC3339.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not an RFC 3339 time (2006-01-02T15:04:05.999999999Z07:00)");
    }
    try {
      String frac = m.group(7) == null ? "" : m.group(7);
      int nanos = frac.isEmpty() ? 0 : Integer.parseInt((frac + "00000000").substring(0, 9));
      ZoneOffset offset = ZoneOffset.UTC;
      if (m.group(9) != null) {
        int sign = m.group(9).equals("-") ? -1 : 1;
        offset =
            ZoneOffset.ofHoursMinutes(
                sign * Integer.parseInt(m.group(10)), sign * Integer.parseInt(m.group(11)));
      }
      return OffsetDateTime.of(
          Integer.parseInt(m.group(1)),
          Integer.parseInt(m.group(2)),
          Integer.parseInt(m.group(3)),
          Integer.parseInt(m.group(4)),
          Integer.parseInt(m.group(5)),
          Integer.parseInt(m.group(6)),
          nanos,
          offset);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("\"" + text + "\": " + e.getMessage(), e);
    }
  }

  /**
   * Formats as Go's {@code time.RFC3339Nano} ({@code "2021-04-01T08:00:00.5+02:00"}).
   *
   * @throws IllegalArgumentException for a year outside 0..9999 (Go refuses to encode it)
   */
  public static String format(OffsetDateTime t) {
    int year = t.getYear();
    if (year < 0 || year > 9999) {
      throw new IllegalArgumentException(
          "time " + t + ": year outside of range [0,9999] (Go's MarshalJSON refuses it)");
    }
    StringBuilder sb = new StringBuilder(35);
    pad(sb, year, 4).append('-');
    pad(sb, t.getMonthValue(), 2).append('-');
    pad(sb, t.getDayOfMonth(), 2).append('T');
    pad(sb, t.getHour(), 2).append(':');
    pad(sb, t.getMinute(), 2).append(':');
    pad(sb, t.getSecond(), 2);
    int nanos = t.getNano();
    if (nanos != 0) {
      String f = String.format("%09d", nanos);
      int end = f.length();
      while (f.charAt(end - 1) == '0') {
        end--;
      }
      sb.append('.').append(f, 0, end);
    }
    int minutes = t.getOffset().getTotalSeconds() / 60;
    if (minutes == 0) {
      return sb.append('Z').toString();
    }
    sb.append(minutes < 0 ? '-' : '+');
    int abs = Math.abs(minutes);
    pad(sb, abs / 60, 2).append(':');
    return pad(sb, abs % 60, 2).toString();
  }

  private static StringBuilder pad(StringBuilder sb, int v, int width) {
    String s = Integer.toString(v);
    for (int i = s.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(s);
  }
}
