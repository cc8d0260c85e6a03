package org.vmm4j.core.internal.annotations;

import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.vmm4j.core.api.RuntimeConfig;

/**
 * What applying a sandbox's annotations gives ({@link Annotations#resolve}).
 *
 * @param config the configuration with every annotation applied, validated (defaults filled in);
 *     the input itself when no {@code io.katacontainers.*} annotation was given
 * @param agent the agent settings of the {@code io.katacontainers.config.agent.*} annotations
 * @param applied the {@code io.katacontainers.*} keys applied, sorted
 * @param recorded what the sandbox records in {@code SandboxConfig.ContainerConfigs[].Annotations}
 *     ({@link Annotations#recorded})
 */
public record AnnotatedConfig(
    RuntimeConfig config,
    AgentSettings agent,
    List<String> applied,
    SortedMap<String, String> recorded) {

  public AnnotatedConfig {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(agent, "agent");
    applied = List.copyOf(applied);
    recorded = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(recorded));
  }
}
