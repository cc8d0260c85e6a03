package org.vmm4j.cli;

import java.io.ByteArrayOutputStream;

/**
 * What a terminal in raw mode should show for typed bytes when the guest does not echo: printable
 * bytes as they are (UTF-8 sequences included), Enter as a newline, Backspace and DEL as erasing
 * the last character; other control characters (Ctrl-C, ...) and escape sequences (arrow keys) show
 * nothing.
 */
final class LocalEcho {
  private static final int ESC = 0x1b;

  private LocalEcho() {}

  static byte[] of(byte[] typed, int n) {
    ByteArrayOutputStream b = new ByteArrayOutputStream(n + 8);
    for (int i = 0; i < n; i++) {
      int c = typed[i] & 0xff;
      if (c == ESC) {
        i = endOfEscape(typed, n, i);
      } else if (c == '\r' || c == '\n') {
        b.write('\n');
      } else if (c == 0x7f || c == 0x08) {
        b.writeBytes(new byte[] {0x08, ' ', 0x08});
      } else if (c == '\t' || c >= 0x20) {
        b.write(c);
      }
    }
    return b.toByteArray();
  }

  /** The index of the last byte of the escape sequence starting at {@code esc}. */
  private static int endOfEscape(byte[] typed, int n, int esc) {
    int i = esc + 1;
    if (i < n && (typed[i] == '[' || typed[i] == 'O')) {
      i++;
      while (i < n && (typed[i] < 0x40 || typed[i] > 0x7e)) {
        i++;
      }
      return Math.min(i, n - 1);
    }
    return esc;
  }
}
