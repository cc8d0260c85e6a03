package org.vmm4j.core.internal.hotplug;

import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.HypervisorConfig;

/**
 * The bounds of vCPU hotplug.
 *
 * @param bootVcpus vCPUs at boot ({@code NumVCPUs})
 * @param maxVcpus the most vCPUs ({@code DefaultMaxVCPUs}, {@code maxcpus})
 * @param accelerator TCG or KVM: under TCG, QEMU 7.2 crashes on a CPU plug after a CPU unplug
 */
public record CpuLimits(long bootVcpus, long maxVcpus, Accelerator accelerator) {
  /** The limits of a validated config run with {@code accelerator}. */
  public static CpuLimits of(HypervisorConfig c, Accelerator accelerator) {
    return new CpuLimits(c.kata().numVcpus(), c.kata().defaultMaxVcpus(), accelerator);
  }
}
