package org.vmm4j.core.internal.hotplug;

import org.vmm4j.core.api.HostCapabilities;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.internal.qemu.QemuArgvBuilder;

/**
 * The bounds of memory hotplug, as the command line set them ({@code -m M,slots=S,maxmem=X}).
 *
 * @param bootMiB guest RAM at boot ({@code MemorySize})
 * @param slots memory slots ({@code MemSlots}); a cold-plugged nvdimm takes one
 * @param maxMemMiB {@code maxmem}
 * @param virtioMem resize one virtio-mem device instead of plugging DIMMs ({@code VirtioMem})
 */
public record MemoryLimits(long bootMiB, long slots, long maxMemMiB, boolean virtioMem) {
  /** The limits of a validated config on {@code host} (the same {@code maxmem} as its argv). */
  public static MemoryLimits of(HypervisorConfig c, HostCapabilities host) {
    return new MemoryLimits(
        c.kata().memorySize(),
        c.kata().memSlots(),
        QemuArgvBuilder.maxMemMiB(c, host),
        c.kata().virtioMem());
  }
}
