package org.vmm4j.qmp;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One entry of {@code query-hotpluggable-cpus} (QEMU lists the highest socket first).
 *
 * @param type the CPU device model to give {@code device_add}, e.g. {@code qemu64-x86_64-cpu}
 * @param qomPath the plugged CPU's QOM path, or null when the slot is free
 */
public record HotpluggableCpu(
    String type,
    @JsonProperty("vcpus-count") int vcpusCount,
    CpuInstanceProperties props,
    @JsonProperty("qom-path") String qomPath) {

  /** True when a CPU occupies this slot. */
  public boolean isPlugged() {
    return qomPath != null;
  }
}
