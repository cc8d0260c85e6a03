package org.vmm4j.core.internal.config;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.LoadOptions;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.persist.InputFileException;
import org.vmm4j.persist.InputFiles;

/**
 * A sandbox configuration's files, defaults and rules, each as one step: the implementation of
 * {@code org.vmm4j.core.ConfigLoader}, used by the launcher and the annotations too.
 */
public final class Configs {
  /** The largest config read: 1 MiB (Kata's own {@code configuration.toml} is about 20 KiB). */
  public static final long MAX_BYTES = 1024 * 1024;

  /** What a config is, in the refusal of a larger one. */
  public static final String WHAT = "a config";

  private static final Logger LOG = LoggerFactory.getLogger(Configs.class);

  private Configs() {}

  /** Parses and validates {@code file}. */
  public static RuntimeConfig load(Path file, LoadOptions options) {
    RuntimeConfig parsed = parse(file, options);
    return parsed.withHypervisor(validate(parsed.hypervisor(), options.hostCpus()));
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

  /**
   * Kata's {@code valid()} defaults with {@code hostCpus} for {@code DefaultMaxVCPUs} 0 (see {@link
   * ConfigDefaults}); no check is made.
   */
  public static HypervisorConfig withDefaults(HypervisorConfig c, int hostCpus) {
    return c.withKata(ConfigDefaults.apply(c.kata(), hostCpus));
  }

  /**
   * Applies the defaults, then checks every rule.
   *
   * @return the config with defaults applied
   * @throws ConfigException naming the first field at fault and its value
   */
  public static HypervisorConfig validate(HypervisorConfig c, int hostCpus) {
    HypervisorConfig d = withDefaults(c, hostCpus);
    ConfigValidator.check(d.kata(), d.live());
    return d;
  }

  /** The {@code BlockDeviceDriver} the device manager records ({@code virtio-scsi} when unset). */
  public static String blockDriver(HypervisorConfig c) {
    return c.kata().blockDeviceDriver().isEmpty() ? "virtio-scsi" : c.kata().blockDeviceDriver();
  }
}
