package org.vmm4j.core.internal.annotations;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.internal.config.AllowlistSyntax;
import org.vmm4j.core.internal.config.ConfigFields;
import org.vmm4j.core.internal.config.GoGlob;
import org.vmm4j.core.internal.config.KataKeys;

/**
 * The two gates of annotations, both anchored: a name must be enabled as a whole, and every host
 * path must match its allowlist.
 *
 * <p><b>Names.</b> The name of a {@code io.katacontainers.config.hypervisor.<name>} annotation must
 * match one of {@code EnableAnnotations} ({@code enable_annotations}) as a whole: each entry is a
 * Java regular expression matched against the entire name ({@code "path"} enables {@code path} and
 * not {@code jailer_path}; Kata's {@code regexp.MatchString} finds it anywhere).
 *
 * <p><b>Paths.</b> A host path an annotation carries is accepted when all of these hold:
 *
 * <ol>
 *   <li>its allowlist has an entry ({@code ""} entries never match, as in Kata's shipped {@code
 *       valid_file_mem_backends = [""]});
 *   <li>it is absolute and in normal form: no {@code .}, {@code ..} or empty component and no
 *       trailing {@code /} (so no {@code ..} is ever accepted, whatever the globs say);
 *   <li>it matches an entry, read as a Go {@code filepath.Match} glob component by component
 *       ({@code *} never crosses a {@code /}; {@link GoGlob});
 *   <li>it exists, and its real path ({@code toRealPath()}: every symbolic link resolved) is the
 *       path itself: a path through a symbolic link is refused, since the link could point
 *       anywhere.
 * </ol>
 *
 * For a normalised path that is exactly Kata's rule ({@code filepath.Glob} against the real file
 * system, then an exact string compare), with the symbolic-link hole closed. Entries must be
 * absolute, normalised globs themselves (validation checks them: {@link AllowlistSyntax}); an entry
 * that passes through a symbolic link (such as {@code /var/run/...} where {@code /var/run} links to
 * {@code /run}) never matches: write real paths.
 */
public final class Allowlists {
  /**
   * One allowlist of path annotations: a {@code valid_*} key of {@link KataKeys}.
   *
   * @param tomlKey its {@code configuration.toml} key, as messages name it
   * @param field its {@code HypervisorConfig} field (Go name)
   */
  record PathList(String tomlKey, String field) {
    /** The allowlist whose TOML key is {@code tomlKey}. */
    static PathList of(String tomlKey) {
      return new PathList(tomlKey, KataKeys.byToml(tomlKey).field());
    }

    /** Its entries in {@code config} (none for Go's nil). */
    @SuppressWarnings("unchecked")
    List<String> entries(HypervisorConfig config) {
      Object list = ConfigFields.field(field).get(config.kata(), config.live());
      return HypervisorConfig.orEmpty((List<String>) list);
    }
  }

  static final PathList HYPERVISOR = PathList.of("valid_hypervisor_paths");
  static final PathList CONFIG = PathList.of("valid_config_paths");

  private Allowlists() {}

  /** The name gate: {@code name} matches one of {@code patterns} as a whole, else a refusal. */
  static void checkEnabled(List<String> patterns, String name) {
    for (String p : patterns) {
      Pattern compiled;
      try {
        compiled = Pattern.compile(p);
      } catch (PatternSyntaxException e) {
        throw new Refusal(
            "enable_annotations entry " + Values.show(p) + " is not a valid regular expression");
      }
      if (compiled.matcher(name).matches()) {
        return;
      }
    }
    throw new Refusal(
        name
            + " is not enabled: it matches no entry of enable_annotations "
            + patterns
            + " (an entry must match the whole name)");
  }

  /** The path gate (see the class comment): {@code value}, or a refusal naming the rule. */
  static String checkPath(PathList list, HypervisorConfig config, String value) {
    List<String> entries = list.entries(config);
    if (entries.stream().allMatch(String::isEmpty)) {
      throw new Refusal(list.tomlKey() + " is empty: no such path may come from an annotation");
    }
    if (!value.startsWith("/")) {
      throw new Refusal(Values.show(value) + " is not an absolute path");
    }
    if (!AllowlistSyntax.isNormal(value)) {
      throw new Refusal(
          Values.show(value)
              + " is not in normal form (a '.', '..' or empty component, or a trailing '/')");
    }
    boolean matched =
        entries.stream()
            .anyMatch(e -> AllowlistSyntax.entryError(e) == null && GoGlob.matches(e, value));
    if (!matched) {
      throw new Refusal(value + " does not match " + list.tomlKey() + " " + entries);
    }
    Path real;
    try {
      real = Path.of(value).toRealPath();
    } catch (NoSuchFileException e) {
      throw new Refusal(value + " does not exist");
    } catch (IOException | InvalidPathException e) {
      throw new Refusal(value + " cannot be resolved: " + e.getMessage(), e);
    }
    if (!real.toString().equals(value)) {
      throw new Refusal(
          value
              + " resolves to "
              + real
              + " through a symbolic link: "
              + list.tomlKey()
              + " admits real paths only");
    }
    return value;
  }
}
