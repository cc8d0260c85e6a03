package org.vmm4j.persist.codec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import org.vmm4j.persist.codec.GoJsonException.Kind;

/**
 * Map keys as Go writes them: integer keys in decimal, and every map's keys sorted as strings in
 * byte (code point) order, so {@code 0, 1, 10, 2}.
 */
final class MapKeys {
  private static final Pattern CANONICAL_INT = Pattern.compile("-?(0|[1-9][0-9]*)");

  private MapKeys() {}

  /** Parses a key of a map with integer keys, or returns the string for string keys. */
  static Object parse(JsonIn in, String key, GoType type) {
    if (type == GoType.NONE) {
      return ScalarCodec.replaceLoneSurrogates(key);
    }
    Long v = null;
    if (CANONICAL_INT.matcher(key).matches() && !key.equals("-0")) {
      v = type.parse(key);
    }
    if (v == null) {
      throw in.error(
          Kind.BAD_VALUE,
          JsonIn.quote(key),
          "map key "
              + JsonIn.quote(key)
              + " is not a Go "
              + type.goName()
              + " in decimal ("
              + type.range()
              + ")");
    }
    return v;
  }

  /** The keys as Go writes them, in Go's order. */
  static List<String> sorted(Collection<?> keys, GoType type) {
    List<String> out = new ArrayList<>(keys.size());
    for (Object k : keys) {
      if (type == GoType.NONE) {
        out.add((String) k);
      } else {
        long v = (Long) k;
        if (!type.holds(v)) {
          throw new EncodeFailure(
              Kind.OUT_OF_RANGE,
              Long.toString(v),
              "map key " + v + " is out of range for Go " + type.goName());
        }
        out.add(type.format(v));
      }
    }
    out.sort(MapKeys::compareCodePoints);
    return out;
  }

  /** Go compares strings byte by byte in UTF-8, which is code point order. */
  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /** The Java key for a Go-formatted key (the inverse of {@link #sorted}). */
  static Object javaKey(String goKey, GoType type) {
    if (type == GoType.NONE) {
      return goKey;
    }
    return type.unsigned64() ? Long.parseUnsignedLong(goKey) : Long.parseLong(goKey);
  }
}
