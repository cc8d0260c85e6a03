package org.vmm4j.core.host;

/**
 * The host's size.
 *
 * @param cpus the {@code processor} entries of {@code /proc/cpuinfo} (online CPUs)
 * @param memTotalMiB {@code MemTotal} of {@code /proc/meminfo}, in MiB
 * @param nested whether this host is itself a guest (the {@code hypervisor} CPU flag)
 */
public record HostResources(int cpus, long memTotalMiB, boolean nested) {}
