package org.vmm4j.core.internal.config;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.KataFacts;
import org.vmm4j.core.api.LiveSettings;
import org.vmm4j.persist.HypervisorConfig;

/**
 * The syntax of the annotation allowlists a config carries, checked by validation: every path
 * allowlist entry ({@link KataKeys#allowlists()}) is {@code ""} (matches nothing, as in Kata's
 * shipped {@code valid_file_mem_backends = [""]}) or an absolute, normalised, valid {@link GoGlob};
 * every {@code EnableAnnotations} entry is a valid regular expression. The gate that matches
 * annotation values against them is {@code org.vmm4j.core.internal.annotations.Allowlists}.
 */
public final class AllowlistSyntax {
  private AllowlistSyntax() {}

  /**
   * Checks every allowlist of a config: Kata's fields {@code kata}, the live settings {@code live}.
   *
   * @throws ConfigException naming the field and the entry
   */
  public static void check(HypervisorConfig kata, LiveSettings live) {
    for (KataKeys.Key list : KataKeys.allowlists()) {
      ConfigFields.Field field = ConfigFields.field(list.field());
      for (String entry : strings(field.get(kata, live))) {
        String error = entryError(entry);
        if (error != null) {
          throw ConfigException.invalid(
              field.name(),
              entry,
              error + " (" + list.toml() + " entries are absolute, normalised paths or globs)");
        }
      }
    }
    for (String p : KataFacts.orEmpty(kata.enableAnnotations())) {
      try {
        Pattern.compile(p);
      } catch (PatternSyntaxException e) {
        throw ConfigException.invalid(
            "EnableAnnotations", p, "is not a valid regular expression: " + e.getDescription());
      }
    }
  }

  /** Why {@code entry} cannot be a path allowlist entry, or null. */
  public static String entryError(String entry) {
    if (entry.isEmpty()) {
      return null;
    }
    if (!entry.startsWith("/")) {
      return "is not absolute";
    }
    if (!isNormal(entry)) {
      return "is not in normal form (a '.', '..' or empty component, or a trailing '/')";
    }
    String syntax = GoGlob.syntaxError(entry);
    return syntax == null ? null : "is not a valid glob: it " + syntax;
  }

  /**
   * Whether the absolute {@code path} is normalised: no empty, {@code .} or {@code ..} component,
   * no trailing {@code /}, no NUL.
   */
  public static boolean isNormal(String path) {
    if (path.equals("/")) {
      return true;
    }
    if (!path.startsWith("/") || path.endsWith("/") || path.indexOf('\0') >= 0) {
      return false;
    }
    for (String c : path.substring(1).split("/", -1)) {
      if (c.isEmpty() || c.equals(".") || c.equals("..")) {
        return false;
      }
    }
    return true;
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Object list) {
    return KataFacts.orEmpty((List<String>) list);
  }
}
