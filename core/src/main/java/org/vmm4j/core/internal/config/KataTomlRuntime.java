package org.vmm4j.core.internal.config;

import java.util.List;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.RuntimeConfig;

/** The {@code [runtime]} and {@code [netmon]} tables of Kata 1.13, in shim-v2 mode. */
final class KataTomlRuntime {
  private static final List<String> EXPERIMENTAL = List.of("newstore");

  private KataTomlRuntime() {}

  static RuntimeConfig map(HypervisorConfig hypervisor, TomlTable runtime, TomlTable netmonTable) {
    RuntimeConfig base = RuntimeConfig.shimV2(hypervisor, runtime.bool("enable_debug", false));
    runtime.has("enable_tracing");
    long model = model(runtime);
    RuntimeConfig.Netmon netmon = netmon(netmonTable);
    boolean newNetNs = newNetNs(runtime, model, netmon);
    List<String> experimental = runtime.strings("experimental");
    for (String feature : experimental) {
      if (!EXPERIMENTAL.contains(feature)) {
        throw runtime.error("experimental", feature, "unsupported experimental feature");
      }
    }
    RuntimeConfig config =
        new RuntimeConfig(
            hypervisor,
            base.agentType(),
            base.agentLongLiveConn(),
            base.proxyType(),
            base.proxyDebug(),
            base.shimType(),
            base.stateful(),
            model,
            newNetNs,
            runtime.bool("disable_guest_seccomp", true),
            runtime.bool("sandbox_cgroup_only", false),
            runtime.bool("enable_agent_pidns", false),
            experimental,
            netmon);
    runtime.warnUnread();
    return config;
  }

  private static RuntimeConfig.Netmon netmon(TomlTable t) {
    RuntimeConfig.Netmon netmon =
        new RuntimeConfig.Netmon(
            t.bool("enable_netmon", false),
            t.string("path", RuntimeConfig.Netmon.DEFAULT_PATH),
            t.bool("enable_debug", false));
    t.warnUnread();
    return netmon;
  }

  /** {@code disable_new_netns} needs the {@code none} model and no netmon. */
  private static boolean newNetNs(TomlTable runtime, long model, RuntimeConfig.Netmon netmon) {
    boolean disable = runtime.bool("disable_new_netns", false);
    if (disable && model != RuntimeConfig.MODEL_NONE) {
      throw runtime.error("disable_new_netns", true, "requires internetworking_model = \"none\"");
    }
    if (disable && netmon.enabled()) {
      throw runtime.error(
          "disable_new_netns", true, "conflicts with [netmon] enable_netmon = true");
    }
    return disable;
  }

  private static long model(TomlTable runtime) {
    String name = runtime.string("internetworking_model", "tcfilter");
    return switch (name) {
      case "default", "tcfilter" -> RuntimeConfig.MODEL_TCFILTER;
      case "macvtap" -> RuntimeConfig.MODEL_MACVTAP;
      case "none" -> RuntimeConfig.MODEL_NONE;
      default -> throw runtime.error("internetworking_model", name, "unknown type");
    };
  }
}
