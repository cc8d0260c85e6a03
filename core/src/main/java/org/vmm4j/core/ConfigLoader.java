package org.vmm4j.core;

import java.nio.file.Path;
import java.util.Map;
import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.LoadOptions;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.core.internal.annotations.Annotations;
import org.vmm4j.core.internal.config.Configs;
import org.vmm4j.core.internal.config.JsonConfigCodec;

/**
 * Loads a sandbox configuration from a file: a name ending in {@code .toml} is a Kata 1.13 {@code
 * configuration.toml} (the keys as Kata names them); a name ending in {@code .json} is vmm4j's JSON
 * form, one object holding the live {@link HypervisorConfig} by its Go field names (the {@code
 * HypervisorConfig} object of a {@code persist.json} is valid input, and so is a whole {@code
 * persist.json}: its {@code Config.HypervisorConfig} and sandbox settings), strictly checked.
 * Either way the result carries Kata 1.13's shim-v2 sandbox settings ({@link RuntimeConfig}).
 *
 * <p>{@link #load} validates ({@link #validate}); {@link #parse} does not. Errors are {@link
 * ConfigException}s naming the file, the key or JSON path, and the value. The file (its links
 * resolved) must be a regular file of at most {@link #MAX_BYTES}: a FIFO or a device is refused
 * before it is opened.
 */
public final class ConfigLoader {
  /** The largest config read: 1 MiB (Kata's own {@code configuration.toml} is about 20 KiB). */
  public static final long MAX_BYTES = Configs.MAX_BYTES;

  /** What a config is, in the refusal of a larger one. */
  public static final String WHAT = Configs.WHAT;

  private ConfigLoader() {}

  /** Parses and validates {@code file} with this host's facts. */
  public static RuntimeConfig load(Path file) {
    return load(file, LoadOptions.ofHost());
  }

  /** Parses and validates {@code file}. */
  public static RuntimeConfig load(Path file, LoadOptions options) {
    return Configs.load(file, options);
  }

  /** Parses {@code file} by its extension, without validating. */
  public static RuntimeConfig parse(Path file, LoadOptions options) {
    return Configs.parse(file, options);
  }

  /** Parses vmm4j's JSON form; {@code source} names it in errors. Not validated. */
  public static RuntimeConfig fromJson(String json, String source, LoadOptions options) {
    return Configs.fromJson(json, source, options);
  }

  /**
   * {@code config} with Kata 1.13's {@code io.katacontainers.*} annotations applied and validated
   * (a hypervisor annotation only where an {@code EnableAnnotations} entry matches its whole name,
   * a host path only on its {@code valid_*} allowlist); {@code config} itself when no key has that
   * prefix. All apply or none: the first refused one is named with the rule it breaks.
   *
   * @throws ConfigException naming the annotation, its value and the rule
   */
  public static RuntimeConfig annotate(RuntimeConfig config, Map<String, String> annotations) {
    return Annotations.apply(config, annotations);
  }

  /** vmm4j's JSON form of {@code config}: every field by its Go name, indented. */
  public static String toJson(HypervisorConfig config) {
    return JsonConfigCodec.write(config);
  }

  /**
   * Kata's {@code valid()} defaults, with {@code hostCpus} for {@code DefaultMaxVCPUs} 0; no check
   * is made.
   */
  public static HypervisorConfig withDefaults(HypervisorConfig config, int hostCpus) {
    return Configs.withDefaults(config, hostCpus);
  }

  /**
   * Applies the defaults, then checks every rule (required and exclusive paths, files that must
   * exist, limits, machine type, templating, shared memory for vhost-user, ...).
   *
   * @param hostCpus the host's CPUs, for {@code DefaultMaxVCPUs} 0
   * @return the config with defaults applied
   * @throws ConfigException naming the first field at fault and its value
   */
  public static HypervisorConfig validate(HypervisorConfig config, int hostCpus) {
    return Configs.validate(config, hostCpus);
  }

  /** {@link #validate(HypervisorConfig, int)} with this JVM's available processors. */
  public static HypervisorConfig validate(HypervisorConfig config) {
    return validate(config, Runtime.getRuntime().availableProcessors());
  }
}
