package org.vmm4j.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmm4j.core.config.JsonConfigCodec;
import org.vmm4j.core.config.KataToml;
import org.vmm4j.core.config.PersistJsonConfig;

/**
 * Loads a sandbox configuration from a file: a name ending in {@code .toml} is a Kata 1.13 {@code
 * configuration.toml} (the keys as Kata names them); a name ending in {@code .json} is vmm4j's JSON
 * form, one object holding the live {@link HypervisorConfig} by its Go field names (the {@code
 * HypervisorConfig} object of a {@code persist.json} is valid input, and so is a whole {@code
 * persist.json}: its {@code Config.HypervisorConfig} and sandbox settings), strictly checked.
 * Either way the result carries Kata 1.13's shim-v2 sandbox settings ({@link RuntimeConfig}).
 *
 * <p>{@link #load} validates ({@link HypervisorConfig#validate(int)}); {@link #parse} does not.
 * Errors are {@link ConfigException}s naming the file, the key or JSON path, and the value.
 */
public final class ConfigLoader {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

  private ConfigLoader() {}

  /** Parses and validates {@code file} with this host's facts. */
  public static RuntimeConfig load(Path file) {
    return load(file, LoadOptions.ofHost());
  }

  /** Parses and validates {@code file}. */
  public static RuntimeConfig load(Path file, LoadOptions options) {
    RuntimeConfig parsed = parse(file, options);
    return parsed.withHypervisor(parsed.hypervisor().validate(options.hostCpus()));
  }

  /** Parses {@code file} by its extension, without validating. */
  public static RuntimeConfig parse(Path file, LoadOptions options) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    if (!name.endsWith(".toml") && !name.endsWith(".json")) {
      throw new ConfigException(
          "file", file, "load " + file + ": the name must end in .toml or .json");
    }
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException("file", file, "load " + file + ": cannot read: " + e, e);
    }
    return name.endsWith(".toml")
        ? KataToml.parse(text, file.toString(), options)
        : fromJson(text, file.toString(), options);
  }

  /** Parses vmm4j's JSON form; {@code source} names it in errors. Not validated. */
  public static RuntimeConfig fromJson(String json, String source, LoadOptions options) {
    Optional<RuntimeConfig> whole = PersistJsonConfig.read(json, source);
    RuntimeConfig rc = whole.orElse(null);
    HypervisorConfig c = rc != null ? rc.hypervisor() : JsonConfigCodec.read(json, source);
    if (c.kata().useVsock() && !options.vhostVsockAvailable()) {
      LOG.warn(
          "{}: UseVSock is true but {} does not exist: the agent uses the serial channel",
          source,
          LoadOptions.VHOST_VSOCK);
      c = c.editKata(k -> k.useVsock(false));
    }
    return rc != null ? rc.withHypervisor(c) : RuntimeConfig.shimV2(c, false);
  }

  /** vmm4j's JSON form of {@code config}: every field by its Go name, indented. */
  public static String toJson(HypervisorConfig config) {
    return JsonConfigCodec.write(config);
  }
}
