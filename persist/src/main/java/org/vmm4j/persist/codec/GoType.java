package org.vmm4j.persist.codec;

import java.math.BigInteger;

/**
 * The Go integer types of the schema. Every one is carried in a Java {@code long}; {@link #UINT}
 * and {@link #UINT64} use the full unsigned 64-bit range, so a value above {@link Long#MAX_VALUE}
 * is carried as its two's complement bit pattern (read it with {@link Long#toUnsignedString}).
 */
public enum GoType {
  /** Not an integer component. */
  NONE("", 0, 0),
  INT("int", Long.MIN_VALUE, Long.MAX_VALUE),
  INT64("int64", Long.MIN_VALUE, Long.MAX_VALUE),
  /** A Go {@code rune} (int32), written as a number. */
  RUNE("rune", Integer.MIN_VALUE, Integer.MAX_VALUE),
  UINT16("uint16", 0, 0xffffL),
  UINT32("uint32", 0, 0xffff_ffffL),
  /** {@code os.FileMode}, a uint32 written as a number. */
  FILE_MODE("os.FileMode", 0, 0xffff_ffffL),
  UINT("uint", 0, -1),
  UINT64("uint64", 0, -1);

  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

  private final String goName;
  private final long min;
  private final long max;

  GoType(String goName, long min, long max) {
    this.goName = goName;
    this.min = min;
    this.max = max;
  }

  /** The Go spelling of the type. */
  public String goName() {
    return goName;
  }

  /** True for uint and uint64: every long bit pattern is a valid (unsigned) value. */
  public boolean unsigned64() {
    return this == UINT || this == UINT64;
  }

  /** Whether {@code v} is a value of this Go type. */
  public boolean holds(long v) {
    return unsigned64() || (v >= min && v <= max);
  }

  /** The range, for messages. */
  public String range() {
    return unsigned64() ? "0.." + Long.toUnsignedString(-1L) : min + ".." + max;
  }

  /**
   * Parses the decimal text of a JSON integer.
   *
   * @return the value, or null when it is outside this type's range
   */
  Long parse(String text) {
    if (unsigned64()) {
      if (text.startsWith("-")) {
        return null;
      }
      BigInteger b = new BigInteger(text);
      return b.compareTo(TWO_64) < 0 ? b.longValue() : null;
    }
    long v;
    if (text.length() <= 18) {
      v = Long.parseLong(text);
    } else {
      BigInteger b = new BigInteger(text);
      if (b.bitLength() > 63) {
        return null;
      }
      v = b.longValue();
    }
    return holds(v) ? v : null;
  }

  /** The decimal text Go writes for {@code v}. */
  String format(long v) {
    return unsigned64() ? Long.toUnsignedString(v) : Long.toString(v);
  }
}
