package org.vmm4j.persist;

import java.util.Arrays;

/**
 * Go's {@code net.IPMask}, a byte slice: written in base64 ({@code "////AA=="} for a /24 over
 * IPv4). A nil mask is a null {@code IpMask} reference (written {@code null}); an empty one is
 * {@code IpMask.of(new byte[0])} (written {@code ""}).
 */
public final class IpMask {
  private final byte[] bytes;

  private IpMask(byte[] bytes) {
    this.bytes = bytes;
  }

  public static IpMask of(byte[] bytes) {
    return new IpMask(bytes.clone());
  }

  /** A mask of {@code ones} leading one bits out of {@code bits} (32 or 128), as Go's CIDRMask. */
  public static IpMask cidr(int ones, int bits) {
    if ((bits != 32 && bits != 128) || ones < 0 || ones > bits) {
      throw new IllegalArgumentException("no /" + ones + " mask of " + bits + " bits");
    }
    byte[] b = new byte[bits / 8];
    for (int i = 0; i < ones; i++) {
      b[i / 8] |= (byte) (0x80 >>> (i % 8));
    }
    return new IpMask(b);
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  /** The prefix length of a canonical mask (leading ones, then zeros), or -1. */
  public int prefixLength() {
    int ones = 0;
    boolean zero = false;
    for (byte x : bytes) {
      for (int bit = 7; bit >= 0; bit--) {
        boolean one = ((x >> bit) & 1) != 0;
        if (one && zero) {
          return -1;
        }
        zero |= !one;
        ones += one ? 1 : 0;
      }
    }
    return ones;
  }

  /** Hex, as Go's {@code IPMask.String()} ({@code "ffffff00"}). */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (byte x : bytes) {
      sb.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpMask m && Arrays.equals(bytes, m.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }
}
