package org.vmm4j.core.internal.annotations;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.vmm4j.core.api.RuntimeConfig;

/**
 * The sandbox-level annotations of Kata 1.13, which no name gate guards: {@code
 * io.katacontainers.config.runtime.<name>} and {@code io.katacontainers.config.agent.<name>}.
 * Unlike 1.13, {@code disable_new_netns} is held to the rules the TOML key obeys (the {@code none}
 * interworking model, no netmon).
 */
final class RuntimeAnnotations {
  static final String RUNTIME_PREFIX = "io.katacontainers.config.runtime.";
  static final String AGENT_PREFIX = "io.katacontainers.config.agent.";

  /** Kata 1.13's only registered experimental feature. */
  static final List<String> EXPERIMENTAL = List.of("newstore");

  private static final Pattern MODULE = Pattern.compile("[A-Za-z0-9_-]+");

  static final Map<String, Spec> RUNTIME =
      Spec.table(
          new Spec("disable_guest_seccomp", (c, v) -> c.disableGuestSeccomp = Values.bool(v)),
          new Spec("sandbox_cgroup_only", (c, v) -> c.sandboxCgroupOnly = Values.bool(v)),
          new Spec("experimental", RuntimeAnnotations::experimental),
          new Spec("disable_new_netns", (c, v) -> c.disableNewNetNs = Values.bool(v)),
          new Spec("internetworking_model", RuntimeAnnotations::model));

  static final Map<String, Spec> AGENT =
      Spec.table(
          new Spec("kernel_modules", RuntimeAnnotations::kernelModules),
          new Spec("enable_tracing", (c, v) -> c.trace = Values.bool(v)),
          new Spec(
              "trace_mode", (c, v) -> c.traceMode = Values.oneOf(v, List.of("dynamic", "static"))),
          new Spec(
              "trace_type",
              (c, v) -> c.traceType = Values.oneOf(v, List.of("isolated", "collated"))),
          new Spec("container_pipe_size", (c, v) -> c.containerPipeSize = Values.uint32(v)));

  private RuntimeAnnotations() {}

  /** Space-separated feature names; the list replaces the configured one (as in Kata). */
  private static void experimental(Changes c, String v) {
    List<String> features = Arrays.asList(v.split(" ", -1));
    for (String f : features) {
      if (!EXPERIMENTAL.contains(f)) {
        throw new Refusal(
            "unsupported experimental feature "
                + Values.show(f)
                + " (known: "
                + EXPERIMENTAL
                + ")");
      }
    }
    c.experimental = List.copyOf(features);
  }

  private static void model(Changes c, String v) {
    c.interworkingModel =
        switch (v) {
          case "default", "tcfilter" -> RuntimeConfig.MODEL_TCFILTER;
          case "macvtap" -> RuntimeConfig.MODEL_MACVTAP;
          case "none" -> RuntimeConfig.MODEL_NONE;
          default -> throw new Refusal("not one of [default, macvtap, tcfilter, none]");
        };
  }

  /** {@code ;}-separated entries {@code "module [param...]"}; "" is no module. */
  private static void kernelModules(Changes c, String v) {
    List<String> modules = new ArrayList<>();
    if (!v.isEmpty()) {
      for (String entry : v.split(";", -1)) {
        String[] words = entry.strip().split("\\s+");
        if (words[0].isEmpty() || !MODULE.matcher(words[0]).matches()) {
          throw new Refusal(
              "entry "
                  + Values.show(entry)
                  + " does not start with a module name ([A-Za-z0-9_-]+)");
        }
        modules.add(String.join(" ", words));
      }
    }
    c.kernelModules = List.copyOf(modules);
  }

  /** {@code disable_new_netns} obeys the TOML key's rules (1.13 did not re-check them). */
  static String netnsProblem(Changes c) {
    if (!c.disableNewNetNs) {
      return null;
    }
    if (c.interworkingModel != RuntimeConfig.MODEL_NONE) {
      return "disable_new_netns=true requires internetworking_model none";
    }
    if (c.start.netmon().enabled()) {
      return "disable_new_netns=true conflicts with [netmon] enable_netmon = true";
    }
    return null;
  }
}
