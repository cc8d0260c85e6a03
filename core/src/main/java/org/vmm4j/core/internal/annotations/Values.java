package org.vmm4j.core.internal.annotations;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.vmm4j.core.internal.config.AllowlistSyntax;

/**
 * Strict parsers for annotation values: Go's {@code strconv.ParseBool} and {@code
 * strconv.ParseUint(v, 10, 32)} exactly (no sign, no spaces, no hex, no suffix), closed sets of
 * names, and comma-separated option lists whose items cannot carry a path or another option.
 */
final class Values {
  static final long UINT32_MAX = 0xFFFF_FFFFL;

  private static final Set<String> TRUE = Set.of("1", "t", "T", "TRUE", "true", "True");
  private static final Set<String> FALSE = Set.of("0", "f", "F", "FALSE", "false", "False");
  private static final Pattern DIGITS = Pattern.compile("[0-9]+");

  /** {@code name}, {@code name=value}, {@code +name} or {@code -name}: no '/', ',' or space. */
  private static final Pattern OPTION =
      Pattern.compile("([+-]?)([A-Za-z0-9_.-]+)(=([A-Za-z0-9_.+-]+))?");

  private Values() {}

  static boolean bool(String v) {
    if (TRUE.contains(v)) {
      return true;
    }
    if (FALSE.contains(v)) {
      return false;
    }
    throw new Refusal("not a boolean (Go's strconv.ParseBool: true, false, 1, 0, t, f, ...)");
  }

  static long uint32(String v) {
    if (!DIGITS.matcher(v).matches()) {
      throw new Refusal("not an unsigned decimal integer (0.." + UINT32_MAX + ")");
    }
    String digits = v.replaceFirst("^0+(?=.)", "");
    if (digits.length() > 10 || Long.parseLong(digits) > UINT32_MAX) {
      throw new Refusal("out of range: above " + UINT32_MAX + " (a Go uint32)");
    }
    return Long.parseLong(digits);
  }

  static long uint32(String v, long min, long max) {
    long n = uint32(v);
    if (n < min || n > max) {
      throw new Refusal("out of range " + min + ".." + max);
    }
    return n;
  }

  static String oneOf(String v, List<String> allowed) {
    if (!allowed.contains(v)) {
      throw new Refusal("not one of " + allowed);
    }
    return v;
  }

  /**
   * A comma-separated option list (items trimmed, empty items dropped, re-joined with commas, as
   * katautils normalises the TOML key): each item is {@code [+|-]name[=value]} with letters,
   * digits, {@code _ . -} (and {@code +} in values); {@code names}, when not null, is the set of
   * names allowed.
   */
  static String options(String v, Set<String> names, String what) {
    List<String> items = new ArrayList<>();
    for (String raw : v.split(",", -1)) {
      String item = raw.strip();
      if (item.isEmpty()) {
        continue;
      }
      var m = OPTION.matcher(item);
      if (!m.matches()) {
        throw new Refusal(
            "item \""
                + item
                + "\" is not a "
                + what
                + " ([+|-]name[=value] of letters, digits, '_', '.', '-')");
      }
      if (names != null && (!m.group(1).isEmpty() || !names.contains(m.group(2)))) {
        throw new Refusal(
            "item \""
                + item
                + "\" is not a "
                + what
                + " an annotation may set "
                + new TreeSet<>(names));
      }
      items.add(item);
    }
    return String.join(",", items);
  }

  /** An absolute path inside the guest, in normal form (no '.', '..' or empty components). */
  static String guestPath(String v) {
    if (v.isEmpty()) {
      return v;
    }
    if (!v.startsWith("/")
        || !AllowlistSyntax.isNormal(v)
        || v.chars().anyMatch(Character::isWhitespace)) {
      throw new Refusal(
          "not an absolute guest path in normal form (no '.', '..' or empty component, no space)");
    }
    return v;
  }

  /** {@code v} as it appears in messages: quoted when empty or holding spaces or controls. */
  static String show(String v) {
    boolean plain =
        !v.isEmpty() && v.chars().noneMatch(c -> Character.isWhitespace(c) || c < 0x20 || c == '"');
    if (plain) {
      return v;
    }
    StringBuilder sb = new StringBuilder("\"");
    for (char c : v.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
