package org.vmm4j.core.internal.annotations;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.core.internal.config.ConfigFields;

/**
 * The configuration being annotated: the hypervisor config so far, the sandbox-level fields of
 * {@link RuntimeConfig}, the agent settings, and what each annotation touched (to name it when the
 * result fails validation). Nothing here is visible outside until every annotation applied.
 */
final class Changes {
  /** An asset hash to verify: the annotation carrying it and the expected digest. */
  record Hash(String key, String value) {}

  final RuntimeConfig start;
  final AnnotationPolicy policy;

  /** Every {@code io.katacontainers.*} key given. */
  final Set<String> given;

  /** The hypervisor config with the annotations applied so far. */
  HypervisorConfig hv;

  boolean disableGuestSeccomp;
  boolean sandboxCgroupOnly;
  boolean disableNewNetNs;
  long interworkingModel;
  List<String> experimental;

  List<String> kernelModules = List.of();
  boolean trace;
  String traceMode = "";
  String traceType = "";
  long containerPipeSize;

  String hashType = Assets.SHA512;
  final Map<String, Hash> hashes = new LinkedHashMap<>();
  final Map<String, String> rootfsKeys = new LinkedHashMap<>();

  private final Map<String, Set<String>> keysByField = new LinkedHashMap<>();
  private final List<String> applied = new ArrayList<>();
  private String current = "";

  Changes(RuntimeConfig start, AnnotationPolicy policy, Set<String> given) {
    this.start = start;
    this.policy = policy;
    this.given = Set.copyOf(given);
    this.hv = start.hypervisor();
    this.disableGuestSeccomp = start.disableGuestSeccomp();
    this.sandboxCgroupOnly = start.sandboxCgroupOnly();
    this.disableNewNetNs = start.disableNewNetNs();
    this.interworkingModel = start.interworkingModel();
    this.experimental = start.experimental();
  }

  /** The config the allowlists and the name gate are read from (never an annotated one). */
  HypervisorConfig gates() {
    return start.hypervisor();
  }

  /** Applies {@code spec} to {@code value} as annotation {@code key}. */
  void apply(String key, Spec spec, String value) {
    current = key;
    spec.applier().apply(this, value);
    applied.add(key);
  }

  /**
   * Sets the {@code HypervisorConfig} field named {@code field} (its Go name) to {@code value} and
   * records that the annotation being applied set it.
   */
  void set(String field, Object value) {
    ConfigFields.Draft draft = new ConfigFields.Draft(hv.kata(), hv.live());
    draft.set(ConfigFields.field(field), value);
    hv = new HypervisorConfig(draft.kata(), draft.live());
    touch(field);
  }

  /** Records that the annotation being applied set these {@code HypervisorConfig} fields. */
  void touch(String... fields) {
    for (String f : fields) {
      keysByField.computeIfAbsent(f, k -> new LinkedHashSet<>()).add(current);
    }
  }

  /** The annotation being applied. */
  String current() {
    return current;
  }

  /** The annotations that set {@code field}. */
  Set<String> keysOf(String field) {
    return keysByField.getOrDefault(field, Set.of());
  }

  List<String> applied() {
    return applied;
  }

  AgentSettings agent() {
    return new AgentSettings(kernelModules, trace, traceMode, traceType, containerPipeSize);
  }

  /** The sandbox-level settings around {@code hypervisor} (the proxy type follows its vsock). */
  RuntimeConfig runtime(HypervisorConfig hypervisor) {
    return new RuntimeConfig(
            hypervisor,
            start.agentType(),
            start.agentLongLiveConn(),
            start.proxyType(),
            start.proxyDebug(),
            start.shimType(),
            start.stateful(),
            interworkingModel,
            disableNewNetNs,
            disableGuestSeccomp,
            sandboxCgroupOnly,
            start.enableAgentPidNs(),
            experimental,
            start.netmon())
        .withHypervisor(hypervisor);
  }
}
