package org.vmm4j.cli;

/**
 * Text from elsewhere (QEMU's replies and errors, file contents, exception messages) made safe to
 * print on a terminal: control characters (C0, DEL, C1), invisible format characters (bidi
 * overrides, zero-width ones), line separators and lone surrogates are escaped (ESC as {@code
 * \x1b}; above U+00FF as a backslash, {@code u} and four hex digits), so that a peer cannot move
 * the cursor, rewrite the line or hide text.
 */
final class TerminalText {
  private TerminalText() {}

  /** One line: line breaks become spaces, every other such character is escaped. */
  static String oneLine(String s) {
    if (s == null) {
      return "";
    }
    return escape(s.replace("\r\n", " ").replace('\n', ' '), false).strip();
  }

  /** Several lines (a stack trace): line breaks and tabs stay, every other one is escaped. */
  static String lines(String s) {
    return s == null ? "" : escape(s, true);
  }

  /** Whether {@code c} is escaped wherever vmm4j prints text from elsewhere. */
  static boolean unsafe(int c) {
    return switch (Character.getType(c)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR,
          Character.SURROGATE ->
          true;
      default -> false;
    };
  }

  private static String escape(String s, boolean keepLines) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      boolean keep = keepLines && (c == '\n' || c == '\t');
      if (keep || !unsafe(c)) {
        if (out != null) {
          out.appendCodePoint(c);
        }
      } else {
        if (out == null) {
          out = new StringBuilder(s.length() + 16).append(s, 0, i);
        }
        out.append(escaped(c));
      }
      i += Character.charCount(c);
    }
    return out == null ? s : out.toString();
  }

  private static String escaped(int c) {
    if (c < 0x100) {
      return String.format("\\x%02x", c);
    }
    return c <= 0xffff ? String.format("\\u%04x", c) : String.format("\\u{%x}", c);
  }
}
