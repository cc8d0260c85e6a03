package org.vmm4j.persist;

/** Go's textual IP forms ({@code net.ParseIP}, {@code IP.String()}), without any name lookup. */
final class IpText {
  private IpText() {}

  static byte[] parseV4(String s) {
    byte[] out = new byte[4];
    int pos = 0;
    for (int part = 0; part < 4; part++) {
      if (part > 0) {
        if (pos >= s.length() || s.charAt(pos) != '.') {
          return null;
        }
        pos++;
      }
      int start = pos;
      int v = 0;
      while (pos < s.length() && pos - start < 3 && Character.isDigit(s.charAt(pos))) {
        v = v * 10 + (s.charAt(pos++) - '0');
      }
      int digits = pos - start;
      if (digits == 0 || v > 255 || (digits > 1 && s.charAt(start) == '0')) {
        return null;
      }
      out[part] = (byte) v;
    }
    return pos == s.length() ? out : null;
  }

  static byte[] parseV6(String s) {
    byte[] ip = new byte[16];
    int ellipsis = -1;
    int i = 0;
    int pos = 0;
    if (s.startsWith("::")) {
      ellipsis = 0;
      pos = 2;
      if (pos == s.length()) {
        return ip;
      }
    }
    while (i < 16) {
      int start = pos;
      int v = 0;
      while (pos < s.length() && pos - start < 4 && Character.digit(s.charAt(pos), 16) >= 0) {
        v = v * 16 + Character.digit(s.charAt(pos++), 16);
      }
      if (pos == start) {
        return null;
      }
      if (pos < s.length() && s.charAt(pos) == '.') {
        if (ellipsis < 0 && i != 12 || i + 4 > 16) {
          return null;
        }
        byte[] v4 = parseV4(s.substring(start));
        if (v4 == null) {
          return null;
        }
        System.arraycopy(v4, 0, ip, i, 4);
        i += 4;
        pos = s.length();
        break;
      }
      ip[i++] = (byte) (v >> 8);
      ip[i++] = (byte) v;
      if (pos == s.length()) {
        break;
      }
      if (s.charAt(pos) != ':' || pos + 1 == s.length()) {
        return null;
      }
      pos++;
      if (s.charAt(pos) == ':') {
        if (ellipsis >= 0) {
          return null;
        }
        ellipsis = i;
        if (++pos == s.length()) {
          break;
        }
      }
    }
    if (pos != s.length()) {
      return null;
    }
    return expand(ip, i, ellipsis);
  }

  private static byte[] expand(byte[] ip, int filled, int ellipsis) {
    if (filled < 16) {
      if (ellipsis < 0) {
        return null;
      }
      int n = 16 - filled;
      for (int j = filled - 1; j >= ellipsis; j--) {
        ip[j + n] = ip[j];
      }
      for (int j = ellipsis + n - 1; j >= ellipsis; j--) {
        ip[j] = 0;
      }
    } else if (ellipsis >= 0) {
      return null; // "::" must stand for at least one group of zeros
    }
    return ip;
  }

  static String formatV4(byte[] b) {
    return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
  }

  /** Go's IPv6 printing: the longest run (first on ties) of two or more zero groups is "::". */
  static String formatV6(byte[] p) {
    int e0 = -1;
    int e1 = -1;
    for (int i = 0; i < 16; i += 2) {
      int j = i;
      while (j < 16 && p[j] == 0 && p[j + 1] == 0) {
        j += 2;
      }
      if (j > i && j - i > e1 - e0) {
        e0 = i;
        e1 = j;
        i = j;
      }
    }
    if (e1 - e0 <= 2) {
      e0 = -1;
      e1 = -1;
    }
    StringBuilder b = new StringBuilder(39);
    for (int i = 0; i < 16; i += 2) {
      if (i == e0) {
        b.append("::");
        i = e1;
        if (i >= 16) {
          break;
        }
      } else if (i > 0) {
        b.append(':');
      }
      b.append(Integer.toHexString(((p[i] & 0xff) << 8) | (p[i + 1] & 0xff)));
    }
    return b.toString();
  }
}
