package org.vmm4j.core;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmm4j.core.internal.config.JsonConfigCodec;
import org.vmm4j.core.internal.config.KataToml;
import org.vmm4j.core.internal.config.PersistJsonConfig;
import org.vmm4j.persist.InputFileException;
import org.vmm4j.persist.InputFiles;

/**
 * Loads a sandbox configuration from a file: a name ending in {@code .toml} is a Kata 1.13 {@code
 * configuration.toml} (the keys as Kata names them); a name ending in {@code .json} is vmm4j's JSON
 * form, one object holding the live {@link HypervisorConfig} by its Go field names (the {@code
 * HypervisorConfig} object of a {@code persist.json} is valid input, and so is a whole {@code
 * persist.json}: its {@code Config.HypervisorConfig} and sandbox settings), strictly checked.
 * Either way the result carries Kata 1.13's shim-v2 sandbox settings ({@link RuntimeConfig}).
 *
 * <p>{@link #load} validates ({@link HypervisorConfig#validate(int)}); {@link #parse} does not.
 * Errors are {@link ConfigException}s naming the file, the key or JSON path, and the value. The
 * file (its links resolved) must be a regular file of at most {@link #MAX_BYTES}: a FIFO or a
 * device is refused before it is opened ({@link InputFiles}).
 */
public final class ConfigLoader {
  /** The largest config read: 1 MiB (Kata's own {@code configuration.toml} is about 20 KiB). */
  public static final long MAX_BYTES = 1024 * 1024;

  /** What a config is, in the refusal of a larger one. */
  public static final String WHAT = "a config";

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
    String text = read(file);
    return name.endsWith(".toml")
        ? KataToml.parse(text, file.toString(), options)
        : fromJson(text, file.toString(), options);
  }

  private static String read(Path file) {
    String op = "load " + file + ": ";
    try {
      byte[] bytes = InputFiles.read(file, MAX_BYTES, WHAT);
      return UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (InputFileException e) {
      throw new ConfigException("file", file, op + e.getReason(), e);
    } catch (CharacterCodingException e) {
      throw new ConfigException("file", file, op + "not UTF-8 text", e);
    } catch (IOException e) {
      throw new ConfigException("file", file, op + "cannot read: " + e, e);
    }
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
