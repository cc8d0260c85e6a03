package org.vmm4j.network;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IP address with a prefix length: an interface address ({@code 10.88.0.5/16}) or a route
 * destination ({@code 10.88.0.0/16}). The address is kept as given (host bits are not cleared).
 */
public record IpPrefix(InetAddress address, int length) {
  public IpPrefix {
    int max = address instanceof Inet4Address ? 32 : 128;
    if (length < 0 || length > max) {
      throw new IllegalArgumentException("prefix length " + length + " for " + address);
    }
  }

  /** Parses {@code 10.1.2.3/24} or {@code fd00::5/64}; a bare address gets the full length. */
  public static IpPrefix parse(String text) {
    int slash = text.indexOf('/');
    String ip = slash < 0 ? text : text.substring(0, slash);
    InetAddress a = literal(ip);
    int len = slash < 0 ? a.getAddress().length * 8 : Integer.parseInt(text.substring(slash + 1));
    return new IpPrefix(a, len);
  }

  /** An IP literal (never a DNS lookup). */
  public static InetAddress literal(String ip) {
    if (!ip.matches("[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException("not an IP literal: " + ip);
    }
    try {
      return InetAddress.getByName(ip);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP literal: " + ip, e);
    }
  }

  public boolean isIpv4() {
    return address instanceof Inet4Address;
  }

  /** {@code AF_INET} (2) or {@code AF_INET6} (10). */
  public int family() {
    return isIpv4() ? 2 : 10;
  }

  /** The netmask as bytes (4 or 16), as Go's {@code net.IPMask} holds it. */
  public byte[] mask() {
    byte[] m = new byte[address.getAddress().length];
    for (int i = 0; i < length; i++) {
      m[i / 8] |= (byte) (0x80 >>> (i % 8));
    }
    return m;
  }

  @Override
  public String toString() {
    return address.getHostAddress() + "/" + length;
  }
}
