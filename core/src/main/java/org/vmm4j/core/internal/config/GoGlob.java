package org.vmm4j.core.internal.config;

/**
 * Go's {@code filepath.Match} pattern language, applied one path component at a time: {@code *} any
 * run of characters, {@code ?} one character, {@code [...]} / {@code [^...]} a class of characters
 * and ranges, {@code \c} the character {@code c}. No pattern character ever matches {@code /}: a
 * pattern and a path match when they have the same number of components and each component matches
 * (what {@code filepath.Glob} yields for an existing file). {@code {a,b}} and {@code **} have no
 * special meaning, as in Go. The annotation allowlists are written in it ({@link AllowlistSyntax}).
 */
public final class GoGlob {
  private GoGlob() {}

  /** Why {@code pattern} is not a valid pattern, or null when it is. */
  public static String syntaxError(String pattern) {
    for (String component : pattern.split("/", -1)) {
      for (int i = 0; i < component.length(); i++) {
        char c = component.charAt(i);
        if (c == '\\') {
          if (++i == component.length()) {
            return "ends a component with a lone '\\'";
          }
        } else if (c == '[') {
          int end = classEnd(component, i);
          if (end < 0) {
            return "has an unclosed or empty character class (a class never holds '/')";
          }
          i = end;
        }
      }
    }
    return null;
  }

  /** Whether the valid pattern {@code pattern} matches {@code path}, component by component. */
  public static boolean matches(String pattern, String path) {
    String[] p = pattern.split("/", -1);
    String[] s = path.split("/", -1);
    if (p.length != s.length) {
      return false;
    }
    for (int i = 0; i < p.length; i++) {
      if (!component(p[i], s[i])) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code s} contains a character with a special meaning in a pattern. */
  public static boolean hasMeta(String s) {
    return s.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '\\');
  }

  /**
   * One component: the classic single-backtrack wildcard match (every token but {@code *} matches
   * exactly one character), O(pattern × name) whatever the name.
   */
  private static boolean component(String p, String s) {
    int pi = 0;
    int si = 0;
    int starP = -1;
    int starS = -1;
    while (si < s.length()) {
      if (pi < p.length() && p.charAt(pi) == '*') {
        while (pi < p.length() && p.charAt(pi) == '*') {
          pi++;
        }
        starP = pi;
        starS = si;
        continue;
      }
      int next = pi < p.length() ? token(p, pi, s.charAt(si)) : -1;
      if (next >= 0) {
        pi = next;
        si++;
      } else if (starP >= 0) {
        pi = starP;
        si = ++starS;
      } else {
        return false;
      }
    }
    while (pi < p.length() && p.charAt(pi) == '*') {
      pi++;
    }
    return pi == p.length();
  }

  /** The index after the token at {@code pi} when it matches {@code ch}, else -1. */
  private static int token(String p, int pi, char ch) {
    char c = p.charAt(pi);
    if (c == '[') {
      int end = classEnd(p, pi);
      return inClass(p, pi, end, ch) ? end + 1 : -1;
    }
    if (c == '?') {
      return pi + 1;
    }
    if (c == '\\') {
      c = p.charAt(++pi);
    }
    return c == ch ? pi + 1 : -1;
  }

  /**
   * The index of the {@code ]} closing the class that opens at {@code start}, or -1 when the class
   * is unclosed, empty, or malformed (Go's {@code ErrBadPattern}: an unescaped {@code -} or {@code
   * ]} where a character is expected).
   */
  private static int classEnd(String p, int start) {
    int i = start + 1;
    if (i < p.length() && p.charAt(i) == '^') {
      i++;
    }
    int ranges = 0;
    while (true) {
      if (i >= p.length()) {
        return -1;
      }
      if (p.charAt(i) == ']' && ranges > 0) {
        return i;
      }
      i = escapedChar(p, i);
      if (i < 0) {
        return -1;
      }
      if (i < p.length() && p.charAt(i) == '-') {
        i = escapedChar(p, i + 1);
        if (i < 0) {
          return -1;
        }
      }
      ranges++;
    }
  }

  /** The index after the (possibly escaped) class character at {@code i}, or -1. */
  private static int escapedChar(String p, int i) {
    if (i >= p.length() || p.charAt(i) == '-' || p.charAt(i) == ']') {
      return -1;
    }
    if (p.charAt(i) == '\\') {
      return i + 1 < p.length() ? i + 2 : -1;
    }
    return i + 1;
  }

  private static boolean inClass(String p, int start, int end, char ch) {
    int i = start + 1;
    boolean negated = p.charAt(i) == '^';
    if (negated) {
      i++;
    }
    boolean match = false;
    while (i < end) {
      char lo = p.charAt(i) == '\\' ? p.charAt(++i) : p.charAt(i);
      i++;
      char hi = lo;
      if (i < end && p.charAt(i) == '-') {
        i++;
        hi = p.charAt(i) == '\\' ? p.charAt(++i) : p.charAt(i);
        i++;
      }
      match |= lo <= ch && ch <= hi;
    }
    return match != negated;
  }
}
