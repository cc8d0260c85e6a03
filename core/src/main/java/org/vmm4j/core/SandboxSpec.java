package org.vmm4j.core;

import java.util.Objects;

/**
 * What a new sandbox is: its id, its configuration, the host it runs on, and its network namespace.
 *
 * @param id the sandbox id (DESIGN decision 14; checked before it touches a path)
 * @param config the configuration ({@link ConfigLoader#load}, or {@link RuntimeConfig#shimV2});
 *     validated again at start
 * @param host what the host offers (the accelerator follows from it: {@link
 *     HostCapabilities#kvmUsable()})
 * @param netNsPath the sandbox's network namespace ({@code NetworkInfo.NetNsPath}), "" for none
 */
public record SandboxSpec(
    String id, RuntimeConfig config, HostCapabilities host, String netNsPath) {

  public SandboxSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(host, "host");
    netNsPath = Objects.requireNonNullElse(netNsPath, "");
  }

  /** A sandbox without a network namespace. */
  public static SandboxSpec of(String id, RuntimeConfig config, HostCapabilities host) {
    return new SandboxSpec(id, config, host, "");
  }

  /** The same sandbox in network namespace {@code path}. */
  public SandboxSpec withNetNsPath(String path) {
    return new SandboxSpec(id, config, host, path);
  }
}
