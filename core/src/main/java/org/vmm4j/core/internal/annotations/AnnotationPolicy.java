package org.vmm4j.core.internal.annotations;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;
import org.vmm4j.core.api.LoadOptions;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.core.internal.config.Configs;

/**
 * The host facts applying annotations depends on.
 *
 * @param hostCpus the host's CPU count: the default of {@code DefaultMaxVCPUs} when the result is
 *     validated
 * @param vhostVsockAvailable whether {@code /dev/vhost-vsock} exists ({@code use_vsock=true} is
 *     refused without it)
 * @param configLoader loads the file {@code io.katacontainers.config_path} names, validated ({@link
 *     Configs#load(Path, LoadOptions)} by default)
 */
public record AnnotationPolicy(
    int hostCpus, boolean vhostVsockAvailable, Function<Path, RuntimeConfig> configLoader) {

  public AnnotationPolicy {
    if (hostCpus < 1) {
      throw new IllegalArgumentException("hostCpus must be at least 1: " + hostCpus);
    }
    Objects.requireNonNull(configLoader, "configLoader");
  }

  /** The facts of this host ({@link LoadOptions#ofHost()}). */
  public static AnnotationPolicy ofHost() {
    return of(LoadOptions.ofHost());
  }

  /** The given facts; {@code io.katacontainers.config_path} is loaded with them. */
  public static AnnotationPolicy of(LoadOptions options) {
    return new AnnotationPolicy(
        options.hostCpus(), options.vhostVsockAvailable(), p -> Configs.load(p, options));
  }

  /** The same policy loading {@code io.katacontainers.config_path} with {@code loader}. */
  public AnnotationPolicy withConfigLoader(Function<Path, RuntimeConfig> loader) {
    return new AnnotationPolicy(hostCpus, vhostVsockAvailable, loader);
  }
}
