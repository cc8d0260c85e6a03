package org.vmm4j.core.internal.annotations;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.core.internal.config.Configs;
import org.vmm4j.persist.ContainerConfig;
import org.vmm4j.persist.LinuxResources;
import org.vmm4j.persist.SandboxState;

/**
 * A sandbox's {@code io.katacontainers.*} annotations (as Kata 1.13 defines them) applied to its
 * {@link RuntimeConfig}: {@link #apply} is a pure function of the config, the annotations and the
 * host facts of an {@link AnnotationPolicy} (plus the files the annotations name).
 *
 * <ul>
 *   <li>Keys outside {@code io.katacontainers.} are ignored (and recorded).
 *   <li>{@code io.katacontainers.config_path} first: the file must match {@code valid_config_paths}
 *       of the given config; the config it holds replaces the given one, and its gates judge the
 *       other annotations.
 *   <li>{@code io.katacontainers.config.hypervisor.<name>}: a name Kata 1.13 knows, enabled by
 *       {@code EnableAnnotations} as a whole-name pattern, with a strictly parsed value; a host
 *       path must pass its allowlist ({@link Allowlists}). See {@link HypervisorAnnotations}.
 *   <li>{@code io.katacontainers.config.runtime.*} and {@code io.katacontainers.config.agent.*}:
 *       not gated, as in 1.13 ({@link RuntimeAnnotations}); {@code
 *       io.katacontainers.asset_hash_type}: {@code sha512} only.
 *   <li>Any other {@code io.katacontainers.*} key is refused: an unknown name (a typo, or a Kata
 *       2.x key such as {@code rx_rate_limiter_max_rate}) and the keys the runtime writes itself
 *       ({@code io.katacontainers.pkg.oci.bundle_path}, {@code ...container_type}).
 * </ul>
 *
 * <p><b>Atomic.</b> Either every annotation applies or the call throws and nothing changed (the
 * input is immutable; Kata left the fields written before the failing one). The result is validated
 * ({@link HypervisorConfig#validate(int)}), so no annotation yields a config that could not be
 * launched by its rules (memory at least 128 MiB, vCPUs at most {@code DefaultMaxVCPUs}, the
 * machine's limits, ...).
 *
 * <p><b>Refusals</b> are {@link ConfigException}s whose {@code field()} is the annotation's key and
 * {@code value()} its value, with the message {@code annotation KEY=VALUE: RULE}, e.g. {@code
 * annotation io.katacontainers.config.hypervisor.path=/tmp/x: /tmp/x does not match
 * valid_hypervisor_paths [/usr/bin/qemu-system-x86_64]}. Every annotation is judged: the first
 * refusal (in key order) is the message, and each further one is a suppressed exception.
 */
public final class Annotations {
  public static final String PREFIX = "io.katacontainers.";
  public static final String HYPERVISOR_PREFIX = HypervisorAnnotations.PREFIX;
  public static final String RUNTIME_PREFIX = RuntimeAnnotations.RUNTIME_PREFIX;
  public static final String AGENT_PREFIX = RuntimeAnnotations.AGENT_PREFIX;
  public static final String CONFIG_PATH = "io.katacontainers.config_path";
  public static final String ASSET_HASH_TYPE = "io.katacontainers.asset_hash_type";
  public static final String BUNDLE_PATH = "io.katacontainers.pkg.oci.bundle_path";
  public static final String CONTAINER_TYPE = "io.katacontainers.pkg.oci.container_type";

  /** Kata's container type of the container a sandbox is created from. */
  public static final String POD_SANDBOX = "pod_sandbox";

  /** One refused annotation. */
  record Refused(String key, String value, String reason) {
    String message() {
      return "annotation " + key + "=" + Values.show(value) + ": " + reason;
    }
  }

  private static final Map<String, Spec> OTHER =
      Spec.table(
          new Spec(ASSET_HASH_TYPE, Annotations::hashType),
          new Spec(BUNDLE_PATH, Annotations::runtimeWritten),
          new Spec(CONTAINER_TYPE, Annotations::runtimeWritten));

  private Annotations() {}

  /** {@link #apply(RuntimeConfig, Map, AnnotationPolicy)} with this host's facts. */
  public static RuntimeConfig apply(RuntimeConfig config, Map<String, String> annotations) {
    if (annotations.keySet().stream().noneMatch(k -> k.startsWith(PREFIX))) {
      return Objects.requireNonNull(config, "config");
    }
    return apply(config, annotations, AnnotationPolicy.ofHost());
  }

  /**
   * {@code config} with {@code annotations} applied and validated; {@code config} itself when no
   * key starts with {@code io.katacontainers.}.
   *
   * @throws ConfigException naming the first refused annotation and the rule it breaks
   */
  public static RuntimeConfig apply(
      RuntimeConfig config, Map<String, String> annotations, AnnotationPolicy policy) {
    return resolve(config, annotations, policy).config();
  }

  /** {@link #apply}, with the agent settings and what was applied and recorded. */
  public static AnnotatedConfig resolve(
      RuntimeConfig config, Map<String, String> annotations, AnnotationPolicy policy) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(policy, "policy");
    SortedMap<String, String> kata = new TreeMap<>();
    annotations.forEach(
        (k, v) -> {
          Objects.requireNonNull(k, "annotation key");
          Objects.requireNonNull(v, () -> "value of annotation " + k);
          if (k.startsWith(PREFIX)) {
            kata.put(k, v);
          }
        });
    SortedMap<String, String> recorded = recorded(annotations);
    if (kata.isEmpty()) {
      return new AnnotatedConfig(config, AgentSettings.NONE, List.of(), recorded);
    }
    RuntimeConfig start =
        kata.containsKey(CONFIG_PATH) ? loadConfig(config, kata.get(CONFIG_PATH), policy) : config;
    Changes c = new Changes(start, policy, kata.keySet());
    List<Refused> refused = new ArrayList<>();
    kata.forEach(
        (key, value) -> {
          try {
            if (!key.equals(CONFIG_PATH)) {
              c.apply(key, spec(c, key), value);
            }
          } catch (Refusal r) {
            refused.add(new Refused(key, value, r.reason()));
          }
        });
    if (refused.isEmpty()) {
      refused.addAll(crossCheck(c, kata));
    }
    if (!refused.isEmpty()) {
      throw refusal(refused);
    }
    HypervisorConfig validated = validate(c, kata);
    Set<String> applied = new TreeSet<>(c.applied());
    if (kata.containsKey(CONFIG_PATH)) {
      applied.add(CONFIG_PATH);
    }
    return new AnnotatedConfig(c.runtime(validated), c.agent(), List.copyOf(applied), recorded);
  }

  /**
   * What a sandbox records in {@code SandboxConfig.ContainerConfigs[].Annotations} of its own
   * container: every annotation it was given (the OCI annotations of its sandbox container), plus
   * Kata's {@code io.katacontainers.pkg.oci.container_type = pod_sandbox}, by which Kata tells a
   * sandbox's container from the others. Empty for no annotation.
   */
  public static SortedMap<String, String> recorded(Map<String, String> annotations) {
    SortedMap<String, String> out = new TreeMap<>(annotations);
    if (!out.isEmpty()) {
      out.put(CONTAINER_TYPE, POD_SANDBOX);
    }
    return Collections.unmodifiableSortedMap(out);
  }

  /**
   * {@code state} recording {@code annotations}: its {@code Config.ContainerConfigs} gets (or
   * replaces) the entry of the sandbox's own container ({@code ID} the sandbox id, {@code
   * Annotations} as {@link #recorded}, {@code RootFs ""}, {@code Resources {}}). Unchanged for no
   * annotation.
   */
  public static SandboxState record(SandboxState state, Map<String, String> annotations) {
    if (annotations.isEmpty()) {
      return state;
    }
    String id = state.sandboxContainer();
    List<ContainerConfig> configs = new ArrayList<>();
    configs.add(
        new ContainerConfig(id, recorded(annotations), "", LinuxResources.builder().build()));
    List<ContainerConfig> existing = state.config().containerConfigs();
    if (existing != null) {
      existing.stream().filter(cc -> !cc.id().equals(id)).forEach(configs::add);
    }
    return state.toBuilder()
        .config(state.config().toBuilder().containerConfigs(configs).build())
        .build();
  }

  /** Every {@code io.katacontainers.*} key vmm4j applies, sorted. */
  public static Set<String> known() {
    Set<String> out = new TreeSet<>();
    HypervisorAnnotations.SPECS.keySet().forEach(n -> out.add(HYPERVISOR_PREFIX + n));
    RuntimeAnnotations.RUNTIME.keySet().forEach(n -> out.add(RUNTIME_PREFIX + n));
    RuntimeAnnotations.AGENT.keySet().forEach(n -> out.add(AGENT_PREFIX + n));
    out.add(CONFIG_PATH);
    out.add(ASSET_HASH_TYPE);
    return Collections.unmodifiableSet(out);
  }

  /** The spec of {@code key}; the name gate for hypervisor annotations; unknown keys refused. */
  private static Spec spec(Changes c, String key) {
    if (key.startsWith(HYPERVISOR_PREFIX)) {
      String name = key.substring(HYPERVISOR_PREFIX.length());
      Spec s = known(HypervisorAnnotations.SPECS, name, "hypervisor");
      Allowlists.checkEnabled(HypervisorConfig.orEmpty(c.gates().kata().enableAnnotations()), name);
      return s;
    }
    if (key.startsWith(RUNTIME_PREFIX)) {
      return known(RuntimeAnnotations.RUNTIME, key.substring(RUNTIME_PREFIX.length()), "runtime");
    }
    if (key.startsWith(AGENT_PREFIX)) {
      return known(RuntimeAnnotations.AGENT, key.substring(AGENT_PREFIX.length()), "agent");
    }
    return known(OTHER, key, "io.katacontainers");
  }

  private static Spec known(Map<String, Spec> table, String name, String kind) {
    Spec s = table.get(name);
    if (s == null) {
      throw new Refusal("unknown " + kind + " annotation: Kata 1.13 has no such key");
    }
    return s;
  }

  private static void hashType(Changes c, String v) {
    if (!v.equals(Assets.SHA512)) {
      throw new Refusal("hash type not supported (only " + Assets.SHA512 + ")");
    }
    c.hashType = v;
  }

  private static void runtimeWritten(Changes c, String v) {
    throw new Refusal("written by the runtime into its own records, not an input");
  }

  private static RuntimeConfig loadConfig(
      RuntimeConfig config, String value, AnnotationPolicy policy) {
    String path;
    try {
      path = Allowlists.checkPath(Allowlists.CONFIG, config.hypervisor(), value);
    } catch (Refusal r) {
      throw refusal(List.of(new Refused(CONFIG_PATH, value, r.reason())));
    }
    try {
      return policy.configLoader().apply(Path.of(path));
    } catch (ConfigException e) {
      String prefix = new Refused(CONFIG_PATH, value, "").message();
      throw new ConfigException(CONFIG_PATH, value, prefix + e.getMessage(), e);
    }
  }

  private static List<Refused> crossCheck(Changes c, Map<String, String> kata) {
    List<Refused> out = new ArrayList<>(Assets.crossCheck(c, c.hv));
    String netns = RuntimeAnnotations.netnsProblem(c);
    if (netns != null) {
      String key = RUNTIME_PREFIX + "disable_new_netns";
      if (!kata.containsKey(key)) {
        key = RUNTIME_PREFIX + "internetworking_model";
      }
      out.add(new Refused(key, kata.get(key), netns));
    }
    return out;
  }

  /** Validates the result; a violation names the annotations that set the field at fault. */
  private static HypervisorConfig validate(Changes c, Map<String, String> kata) {
    try {
      return Configs.validate(c.hv, c.policy.hostCpus());
    } catch (ConfigException e) {
      Set<String> keys = new TreeSet<>(c.keysOf(e.field()));
      if (keys.isEmpty()) {
        c.applied().stream().filter(k -> k.startsWith(HYPERVISOR_PREFIX)).forEach(keys::add);
      }
      if (keys.isEmpty()) {
        keys.addAll(c.applied());
      }
      List<String> shown = new ArrayList<>();
      keys.forEach(k -> shown.add(k + "=" + Values.show(kata.get(k))));
      String first = keys.iterator().next();
      String what = keys.size() == 1 ? "annotation " : "annotations ";
      throw new ConfigException(
          first, kata.get(first), what + String.join(", ", shown) + ": " + e.getMessage(), e);
    }
  }

  private static ConfigException refusal(List<Refused> refused) {
    Refused first = refused.get(0);
    String message = first.message();
    if (refused.size() > 1) {
      List<String> others = refused.subList(1, refused.size()).stream().map(Refused::key).toList();
      message += " (and " + others.size() + " more refused: " + String.join(", ", others) + ")";
    }
    ConfigException e = new ConfigException(first.key(), first.value(), message);
    for (Refused r : refused.subList(1, refused.size())) {
      e.addSuppressed(new ConfigException(r.key(), r.value(), r.message()));
    }
    return e;
  }
}
