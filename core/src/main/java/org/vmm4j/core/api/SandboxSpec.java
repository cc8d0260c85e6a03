package org.vmm4j.core.api;

import java.util.Map;
import java.util.Objects;

/**
 * What a new sandbox is: its id, its configuration, the host it runs on, its network namespace, and
 * the annotations of its sandbox container.
 *
 * @param id the sandbox id ({@code [A-Za-z0-9][A-Za-z0-9._-]{0,127}}; checked before it touches a
 *     path)
 * @param config the configuration ({@link ConfigLoader#load}, or {@link RuntimeConfig#shimV2});
 *     validated again at start
 * @param host what the host offers (the accelerator follows from it: {@link
 *     HostCapabilities#kvmUsable()})
 * @param netNsPath the sandbox's network namespace ({@code NetworkInfo.NetNsPath}), "" for none
 * @param annotations the OCI annotations of the sandbox's container: at start its {@code
 *     io.katacontainers.*} keys are applied to {@code config} (Kata 1.13's rules, with vmm4j's
 *     allowlists; a refusal is a {@link ConfigException} and nothing is started), and all of them
 *     are recorded in {@code SandboxConfig.ContainerConfigs}; empty for none
 */
public record SandboxSpec(
    String id,
    RuntimeConfig config,
    HostCapabilities host,
    String netNsPath,
    Map<String, String> annotations) {

  public SandboxSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(host, "host");
    netNsPath = Objects.requireNonNullElse(netNsPath, "");
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  /** A sandbox without annotations. */
  public SandboxSpec(String id, RuntimeConfig config, HostCapabilities host, String netNsPath) {
    this(id, config, host, netNsPath, Map.of());
  }

  /** A sandbox without a network namespace. */
  public static SandboxSpec of(String id, RuntimeConfig config, HostCapabilities host) {
    return new SandboxSpec(id, config, host, "");
  }

  /** The same sandbox in network namespace {@code path}. */
  public SandboxSpec withNetNsPath(String path) {
    return new SandboxSpec(id, config, host, path, annotations);
  }

  /** The same sandbox with these annotations (replacing any given before). */
  public SandboxSpec withAnnotations(Map<String, String> annotations) {
    return new SandboxSpec(id, config, host, netNsPath, annotations);
  }
}
