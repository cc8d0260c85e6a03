package org.vmm4j.qmp;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One entry of {@code query-cpus-fast}.
 *
 * @param threadId the host thread running this vCPU
 */
public record CpuInfoFast(
    @JsonProperty("cpu-index") int cpuIndex,
    @JsonProperty("qom-path") String qomPath,
    @JsonProperty("thread-id") long threadId,
    CpuInstanceProperties props,
    String target) {}
