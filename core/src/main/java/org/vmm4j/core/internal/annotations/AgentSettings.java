package org.vmm4j.core.internal.annotations;

import java.util.List;
import java.util.Objects;

/**
 * The Kata agent settings the {@code io.katacontainers.config.agent.*} annotations of Kata 1.13
 * carry, parsed and checked. vmm4j speaks no Kata agent protocol, so they change nothing in the VM:
 * they are handed back ({@link AnnotatedConfig#agent()}) to a runtime that talks to a Kata agent,
 * and the annotations themselves are recorded with the sandbox.
 *
 * @param kernelModules {@code kernel_modules}: one entry per module, {@code "name [param...]"}
 * @param trace {@code enable_tracing}
 * @param traceMode {@code trace_mode}: "" (unset), {@code dynamic} or {@code static}
 * @param traceType {@code trace_type}: "" (unset), {@code isolated} or {@code collated}
 * @param containerPipeSize {@code container_pipe_size}: 0 for the agent's default
 */
public record AgentSettings(
    List<String> kernelModules,
    boolean trace,
    String traceMode,
    String traceType,
    long containerPipeSize) {

  /** No agent annotation. */
  public static final AgentSettings NONE = new AgentSettings(List.of(), false, "", "", 0);

  public AgentSettings {
    kernelModules = List.copyOf(kernelModules);
    traceMode = Objects.requireNonNullElse(traceMode, "");
    traceType = Objects.requireNonNullElse(traceType, "");
  }
}
