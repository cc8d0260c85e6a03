package org.vmm4j.network;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A 48-bit Ethernet address, written {@code 02:11:22:33:44:55} (lower case, as Go's {@code
 * net.HardwareAddr} prints it and as Kata persists it).
 *
 * @param value the address in the low 48 bits, first octet most significant
 */
public record MacAddress(long value) {
  private static final SecureRandom RANDOM = new SecureRandom();

  public MacAddress {
    if ((value & ~0xffff_ffff_ffffL) != 0) {
      throw new IllegalArgumentException("MAC address wider than 48 bits: " + value);
    }
  }

  /** Parses {@code aa:bb:cc:dd:ee:ff} (either case, also with {@code -}). */
  public static MacAddress parse(String text) {
    String[] parts = text.split("[:-]");
    if (parts.length != 6) {
      throw new IllegalArgumentException("not a MAC address: " + text);
    }
    long v = 0;
    for (String p : parts) {
      if (p.length() != 2) {
        throw new IllegalArgumentException("not a MAC address: " + text);
      }
      v = (v << 8) | Integer.parseInt(p, 16);
    }
    return new MacAddress(v);
  }

  /** From 6 bytes (as netlink carries it). */
  public static MacAddress of(byte[] bytes) {
    if (bytes.length != 6) {
      throw new IllegalArgumentException("MAC address of " + bytes.length + " bytes");
    }
    long v = 0;
    for (byte b : bytes) {
      v = (v << 8) | (b & 0xff);
    }
    return new MacAddress(v);
  }

  /**
   * A random locally administered unicast address, as Kata makes the veth's new MAC: 6 random
   * bytes, then {@code b[0] = (b[0] | 2) & 0xfe}.
   */
  public static MacAddress randomLocal() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    b[0] = (byte) ((b[0] | 2) & 0xfe);
    return of(b);
  }

  public byte[] bytes() {
    byte[] b = new byte[6];
    for (int i = 0; i < 6; i++) {
      b[i] = (byte) (value >>> (8 * (5 - i)));
    }
    return b;
  }

  @Override
  public String toString() {
    return HexFormat.ofDelimiter(":").formatHex(bytes());
  }
}
