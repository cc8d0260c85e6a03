package org.vmm4j.core.internal.annotations;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.vmm4j.core.ConfigException;
import org.vmm4j.core.HypervisorConfig;

/**
 * The two gates of annotations (DESIGN decision 6).
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
 * absolute, normalised globs themselves ({@link #check}); an entry that passes through a symbolic
 * link (such as {@code /var/run/...} where {@code /var/run} links to {@code /run}) never matches:
 * write real paths.
 */
public final class Allowlists {
  /**
   * One allowlist of path annotations.
   *
   * @param tomlKey its {@code configuration.toml} key, as messages name it
   * @param field its {@code HypervisorConfig} field (Go name)
   * @param get reads it from a config
   */
  record PathList(String tomlKey, String field, Function<HypervisorConfig, List<String>> get) {}

  static final PathList HYPERVISOR =
      new PathList(
          "valid_hypervisor_paths", "HypervisorPathList", HypervisorConfig::hypervisorPathList);
  static final PathList CTL =
      new PathList(
          "valid_ctlpaths", "HypervisorCtlPathList", HypervisorConfig::hypervisorCtlPathList);
  static final PathList JAILER =
      new PathList("valid_jailer_paths", "JailerPathList", HypervisorConfig::jailerPathList);
  static final PathList VIRTIOFSD =
      new PathList(
          "valid_virtio_fs_daemon_paths",
          "VirtioFSDaemonList",
          HypervisorConfig::virtioFSDaemonList);
  static final PathList FILE_MEM =
      new PathList(
          "valid_file_mem_backends",
          "FileBackedMemRootList",
          HypervisorConfig::fileBackedMemRootList);
  static final PathList VHOST_USER_STORE =
      new PathList(
          "valid_vhost_user_store_paths",
          "VhostUserStorePathList",
          HypervisorConfig::vhostUserStorePathList);
  static final PathList KERNEL =
      new PathList("valid_kernel_paths", "KernelPathList", HypervisorConfig::kernelPathList);
  static final PathList IMAGE =
      new PathList("valid_image_paths", "ImagePathList", HypervisorConfig::imagePathList);
  static final PathList INITRD =
      new PathList("valid_initrd_paths", "InitrdPathList", HypervisorConfig::initrdPathList);
  static final PathList FIRMWARE =
      new PathList("valid_firmware_paths", "FirmwarePathList", HypervisorConfig::firmwarePathList);
  static final PathList ENTROPY =
      new PathList(
          "valid_entropy_sources", "EntropySourceList", HypervisorConfig::entropySourceList);
  static final PathList CONFIG =
      new PathList("valid_config_paths", "ConfigPathList", HypervisorConfig::configPathList);

  static final List<PathList> ALL =
      List.of(
          HYPERVISOR,
          CTL,
          JAILER,
          VIRTIOFSD,
          FILE_MEM,
          VHOST_USER_STORE,
          KERNEL,
          IMAGE,
          INITRD,
          FIRMWARE,
          ENTROPY,
          CONFIG);

  private Allowlists() {}

  /**
   * Checks the allowlists of a config: every path allowlist entry is {@code ""} or an absolute,
   * normalised, valid glob; every {@code EnableAnnotations} entry is a valid regular expression.
   * {@link org.vmm4j.core.HypervisorConfig#validate} calls this.
   *
   * @throws ConfigException naming the field and the entry
   */
  public static void check(HypervisorConfig c) {
    for (PathList l : ALL) {
      for (String entry : l.get().apply(c)) {
        String error = patternError(entry);
        if (error != null) {
          throw ConfigException.invalid(
              l.field(),
              entry,
              error + " (" + l.tomlKey() + " entries are absolute, normalised paths or globs)");
        }
      }
    }
    for (String p : c.enableAnnotations()) {
      try {
        Pattern.compile(p);
      } catch (PatternSyntaxException e) {
        throw ConfigException.invalid(
            "EnableAnnotations", p, "is not a valid regular expression: " + e.getDescription());
      }
    }
  }

  /** Why {@code entry} cannot be a path allowlist entry, or null. */
  static String patternError(String entry) {
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
    List<String> entries = list.get().apply(config);
    if (entries.stream().allMatch(String::isEmpty)) {
      throw new Refusal(list.tomlKey() + " is empty: no such path may come from an annotation");
    }
    if (!value.startsWith("/")) {
      throw new Refusal(Values.show(value) + " is not an absolute path");
    }
    if (!isNormal(value)) {
      throw new Refusal(
          Values.show(value)
              + " is not in normal form (a '.', '..' or empty component, or a trailing '/')");
    }
    boolean matched =
        entries.stream().anyMatch(e -> patternError(e) == null && GoGlob.matches(e, value));
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

  /**
   * Whether the absolute {@code path} is normalised: no empty, {@code .} or {@code ..} component,
   * no trailing {@code /}, no NUL.
   */
  static boolean isNormal(String path) {
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
}
