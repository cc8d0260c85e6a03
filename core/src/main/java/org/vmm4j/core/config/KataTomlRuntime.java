package org.vmm4j.core.config;

import java.util.List;
import org.vmm4j.core.HypervisorConfig;
import org.vmm4j.core.RuntimeConfig;

/** The {@code [runtime]} and {@code [netmon]} tables (deltas 2.2), in shim-v2 mode. */
final class KataTomlRuntime {
  private static final List<String> EXPERIMENTAL = List.of("newstore");

  private KataTomlRuntime() {}

  static RuntimeConfig map(HypervisorConfig hypervisor, TomlTable runtime, TomlTable netmonTable) {
    RuntimeConfig base = RuntimeConfig.shimV2(hypervisor, runtime.bool("enable_debug", false));
    runtime.has("enable_tracing");
    long model = model(runtime);
    boolean newNetNs = runtime.bool("disable_new_netns", false);
    RuntimeConfig.Netmon netmon =
        new RuntimeConfig.Netmon(
            netmonTable.bool("enable_netmon", false),
            netmonTable.string("path", RuntimeConfig.Netmon.DEFAULT_PATH),
            netmonTable.bool("enable_debug", false));
    if (newNetNs && model != RuntimeConfig.MODEL_NONE) {
      throw runtime.error("disable_new_netns", true, "requires internetworking_model = \"none\"");
    }
    if (newNetNs && netmon.enabled()) {
      throw runtime.error(
          "disable_new_netns", true, "conflicts with [netmon] enable_netmon = true");
    }
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
    netmonTable.warnUnread();
    return config;
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
