package org.vmm4j.core.internal.hotplug;

import java.util.Optional;
import org.vmm4j.core.api.HypervisorConfig;

/**
 * The {@code cache} options of a hot-plugged disk's {@code blockdev-add}.
 *
 * @param direct {@code cache.direct} (O_DIRECT on the host)
 * @param noFlush {@code cache.no-flush} (ignore the guest's flushes)
 */
public record BlockCache(boolean direct, boolean noFlush) {
  /** The config's cache options, present only when {@code BlockDeviceCacheSet} (Kata). */
  public static Optional<BlockCache> of(HypervisorConfig c) {
    return c.kata().blockDeviceCacheSet()
        ? Optional.of(
            new BlockCache(c.kata().blockDeviceCacheDirect(), c.kata().blockDeviceCacheNoflush()))
        : Optional.empty();
  }
}
