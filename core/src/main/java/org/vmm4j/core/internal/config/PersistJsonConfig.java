package org.vmm4j.core.internal.config;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.persist.PersistCodec;
import org.vmm4j.persist.SandboxConfig;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.persist.StateFormatException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A whole {@code persist.json} as a configuration ({@code vmm4j run --config} takes one, see
 * docs/cli.md): a JSON object with a {@code PersistVersion} or {@code Config} member is decoded as
 * a {@code SandboxState} (strictly, by the persist codec) and its {@code Config.HypervisorConfig}
 * becomes the live config; the sandbox-level settings that the persisted {@code SandboxConfig}
 * records (interworking model, guest seccomp, cgroup-only, agent pid namespace, experimental
 * features, proxy debug) are kept, the rest is Kata 1.13's shim-v2 mode.
 */
public final class PersistJsonConfig {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private PersistJsonConfig() {}

  /**
   * The configuration in {@code json} when it is a whole {@code persist.json}; empty otherwise
   * (including malformed JSON, which the caller's own reader reports).
   *
   * @throws ConfigException when it looks like a {@code persist.json} but is not a valid one
   */
  public static Optional<RuntimeConfig> read(String json, String source) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JacksonException e) {
      return Optional.empty();
    }
    if (root == null || !root.isObject() || !(root.has("PersistVersion") || root.has("Config"))) {
      return Optional.empty();
    }
    SandboxState state;
    try {
      state = PersistCodec.decodeSandbox(json.getBytes(StandardCharsets.UTF_8), source);
    } catch (StateFormatException e) {
      throw new ConfigException("$", source, e.getMessage(), e);
    }
    return Optional.of(of(state.config()));
  }

  /** The runtime config that a persisted {@code SandboxConfig} describes. */
  public static RuntimeConfig of(SandboxConfig sc) {
    HypervisorConfig hv = HypervisorConfig.fromPersisted(sc.hypervisorConfig());
    RuntimeConfig shim = RuntimeConfig.shimV2(hv, sc.proxyConfig().debug());
    List<String> experimental = sc.experimental() == null ? List.of() : sc.experimental();
    return new RuntimeConfig(
        hv,
        shim.agentType(),
        shim.agentLongLiveConn(),
        shim.proxyType(),
        shim.proxyDebug(),
        shim.shimType(),
        shim.stateful(),
        sc.networkConfig().interworkingModel(),
        sc.networkConfig().disableNewNetNs(),
        sc.disableGuestSeccomp(),
        sc.sandboxCgroupOnly(),
        sc.enableAgentPidNs(),
        experimental,
        shim.netmon());
  }
}
