package org.vmm4j.core.api;

import java.util.List;
import java.util.Objects;

/**
 * Everything a loaded configuration gives a sandbox: the {@link HypervisorConfig} and the
 * sandbox-level settings Kata 1.13 derives in shim-v2 mode (katautils' {@code LoadConfiguration}
 * with the built-in proxy and shim, from {@code [runtime]}, {@code [netmon]} and {@code
 * use_vsock}). They map onto the persisted {@code SandboxConfig}: {@code HypervisorType "qemu"},
 * {@code AgentType}, {@code KataAgentConfig{LongLiveConn, UseVSock = hypervisor.UseVSock}}, {@code
 * ProxyType}, {@code ProxyConfig{Path "", Debug = proxyDebug}}, {@code ShimType}, {@code
 * KataShimConfig null}, {@code NetworkConfig{InterworkingModel, DisableNewNetNs}}, {@code
 * Stateful}, {@code SandboxCgroupOnly}, {@code EnableAgentPidNs}, {@code DisableGuestSeccomp},
 * {@code Experimental}.
 *
 * @param hypervisor the hypervisor configuration
 * @param agentType always {@value #AGENT_KATA}
 * @param agentLongLiveConn true in shim-v2 mode
 * @param proxyType {@value #PROXY_BUILT_IN} (serial channel) or {@value #NO_PROXY} (vsock)
 * @param proxyDebug {@code [runtime] enable_debug}
 * @param shimType always {@value #SHIM_BUILT_IN}
 * @param stateful true in shim-v2 mode
 * @param interworkingModel {@code NetworkConfig.InterworkingModel}: 1 macvtap, 2 tcfilter, 3 none
 * @param disableNewNetNs {@code [runtime] disable_new_netns}
 * @param disableGuestSeccomp {@code [runtime] disable_guest_seccomp} (default true)
 * @param sandboxCgroupOnly {@code [runtime] sandbox_cgroup_only}
 * @param enableAgentPidNs {@code [runtime] enable_agent_pidns}
 * @param experimental {@code [runtime] experimental}
 * @param netmon the {@code [netmon]} table (not persisted)
 */
public record RuntimeConfig(
    HypervisorConfig hypervisor,
    String agentType,
    boolean agentLongLiveConn,
    String proxyType,
    boolean proxyDebug,
    String shimType,
    boolean stateful,
    long interworkingModel,
    boolean disableNewNetNs,
    boolean disableGuestSeccomp,
    boolean sandboxCgroupOnly,
    boolean enableAgentPidNs,
    List<String> experimental,
    Netmon netmon) {

  public static final String AGENT_KATA = "kata";
  public static final String PROXY_BUILT_IN = "kataBuiltInProxy";
  public static final String NO_PROXY = "noProxy";
  public static final String SHIM_BUILT_IN = "kataBuiltInShim";

  /** {@code NetInterworkingModel} codes. */
  public static final long MODEL_MACVTAP = 1;

  public static final long MODEL_TCFILTER = 2;
  public static final long MODEL_NONE = 3;

  /**
   * The {@code [netmon]} table.
   *
   * @param enabled {@code enable_netmon}
   * @param path {@code path}
   * @param debug {@code enable_debug}
   */
  public record Netmon(boolean enabled, String path, boolean debug) {
    public static final String DEFAULT_PATH = "/usr/libexec/kata-containers/kata-netmon";

    public Netmon {
      path = Objects.requireNonNullElse(path, "");
    }
  }

  public RuntimeConfig {
    Objects.requireNonNull(hypervisor, "hypervisor");
    experimental = List.copyOf(experimental);
    Objects.requireNonNull(netmon, "netmon");
  }

  /** Kata 1.13's shim-v2 settings around {@code hypervisor}, with every runtime default. */
  public static RuntimeConfig shimV2(HypervisorConfig hypervisor, boolean runtimeDebug) {
    return new RuntimeConfig(
        hypervisor,
        AGENT_KATA,
        true,
        proxyTypeFor(hypervisor),
        runtimeDebug,
        SHIM_BUILT_IN,
        true,
        MODEL_TCFILTER,
        false,
        true,
        false,
        false,
        List.of(),
        new Netmon(false, Netmon.DEFAULT_PATH, false));
  }

  /** The same settings around another hypervisor config (the proxy type follows its vsock). */
  public RuntimeConfig withHypervisor(HypervisorConfig h) {
    return new RuntimeConfig(
        h,
        agentType,
        agentLongLiveConn,
        proxyTypeFor(h),
        proxyDebug,
        shimType,
        stateful,
        interworkingModel,
        disableNewNetNs,
        disableGuestSeccomp,
        sandboxCgroupOnly,
        enableAgentPidNs,
        experimental,
        netmon);
  }

  private static String proxyTypeFor(HypervisorConfig h) {
    return h.kata().useVsock() ? NO_PROXY : PROXY_BUILT_IN;
  }
}
