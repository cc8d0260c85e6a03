package org.vmm4j.persist;

import java.util.Arrays;

/**
 * Go's {@code net.IP}: 4 bytes (IPv4, also for IPv4-mapped IPv6 addresses, which Go prints the same
 * way), 16 bytes (IPv6), or none ({@link #NIL}). Written as text, {@code ""} for nil; parsing and
 * printing follow Go's {@code net.ParseIP} and {@code IP.String()}.
 */
public final class NetIp {
  /** Go's nil IP, written as {@code ""}. */
  public static final NetIp NIL = new NetIp(new byte[0]);

  private static final byte[] V4_IN_V6_PREFIX = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff
  };

  private final byte[] bytes;

  private NetIp(byte[] bytes) {
    this.bytes = bytes;
  }

  /** An address of 0 (nil), 4 or 16 bytes; an IPv4-mapped IPv6 address becomes its 4 bytes. */
  public static NetIp of(byte[] address) {
    if (address.length == 0) {
      return NIL;
    }
    if (address.length == 16 && Arrays.equals(address, 0, 12, V4_IN_V6_PREFIX, 0, 12)) {
      return new NetIp(Arrays.copyOfRange(address, 12, 16));
    }
    if (address.length != 4 && address.length != 16) {
      throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + address.length);
    }
    return new NetIp(address.clone());
  }

  /**
   * Parses as Go's {@code net.ParseIP} (Go 1.17+: no leading zeros in IPv4 parts, no zones); the
   * empty string is nil (as Go's {@code UnmarshalText}).
   *
   * @throws IllegalArgumentException when it is not an IP address
   */
  public static NetIp parse(String text) {
    if (text.isEmpty()) {
      return NIL;
    }
    byte[] b = text.indexOf(':') >= 0 ? IpText.parseV6(text) : IpText.parseV4(text);
    if (b == null) {
      throw new IllegalArgumentException("invalid IP address \"" + text + "\"");
    }
    return of(b);
  }

  /** The address bytes: empty (nil), 4 (IPv4) or 16 (IPv6). */
  public byte[] bytes() {
    return bytes.clone();
  }

  public boolean isNil() {
    return bytes.length == 0;
  }

  public boolean isIpv4() {
    return bytes.length == 4;
  }

  /** As Go's {@code IP.String()}: dotted IPv4, RFC 5952 IPv6, {@code ""} for nil. */
  @Override
  public String toString() {
    return bytes.length == 0
        ? ""
        : bytes.length == 4 ? IpText.formatV4(bytes) : IpText.formatV6(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NetIp ip && Arrays.equals(bytes, ip.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }
}
