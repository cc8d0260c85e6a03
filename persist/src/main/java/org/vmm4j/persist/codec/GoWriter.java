package org.vmm4j.persist.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable UTF-8 buffer that writes JSON the way Go's {@code encoding/json} encoder does (Go
 * 1.14-1.21, HTML escaping on).
 */
final class GoWriter {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private byte[] buf;
  private int len;

  GoWriter(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  /** The bytes written so far. */
  byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  void raw(char c) {
    ensure(1);
    buf[len++] = (byte) c;
  }

  void raw(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
  }

  void ascii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[len++] = (byte) s.charAt(i);
    }
  }

  /**
   * Writes a JSON string as Go does: quote, backslash, newline, return and tab with their short
   * escapes; other control characters, {@code <}, {@code >} and {@code &} as six-character escapes
   * with lowercase hex (backslash, u, 00XX); U+2028 and U+2029 escaped the same way; a lone
   * surrogate (Java's analogue of invalid UTF-8) as the escape of U+FFFD; everything else raw
   * UTF-8.
   */
  void string(String s) {
    int n = s.length();
    ensure(n + 2);
    buf[len++] = '"';
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        asciiChar(c);
      } else if (c == '\u2028' || c == '\u2029') {
        escape(c);
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        utf8(Character.toCodePoint(c, s.charAt(++i)));
      } else if (Character.isSurrogate(c)) {
        escape('\ufffd');
      } else {
        utf8(c);
      }
    }
    ensure(1);
    buf[len++] = '"';
  }

  private void asciiChar(char c) {
    if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&') {
      ensure(1);
      buf[len++] = (byte) c;
      return;
    }
    switch (c) {
      case '"' -> ascii("\\\"");
      case '\\' -> ascii("\\\\");
      case '\n' -> ascii("\\n");
      case '\r' -> ascii("\\r");
      case '\t' -> ascii("\\t");
      default -> escape(c);
    }
  }

  private void escape(char c) {
    ensure(6);
    buf[len++] = '\\';
    buf[len++] = 'u';
    buf[len++] = HEX[(c >> 12) & 0xf];
    buf[len++] = HEX[(c >> 8) & 0xf];
    buf[len++] = HEX[(c >> 4) & 0xf];
    buf[len++] = HEX[c & 0xf];
  }

  private void utf8(int cp) {
    ensure(4);
    if (cp < 0x800) {
      buf[len++] = (byte) (0xc0 | (cp >> 6));
      buf[len++] = (byte) (0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      buf[len++] = (byte) (0xe0 | (cp >> 12));
      buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
      buf[len++] = (byte) (0x80 | (cp & 0x3f));
    } else {
      buf[len++] = (byte) (0xf0 | (cp >> 18));
      buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
      buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
      buf[len++] = (byte) (0x80 | (cp & 0x3f));
    }
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
  }
}
