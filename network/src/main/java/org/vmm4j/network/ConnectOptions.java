package org.vmm4j.network;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How {@link Endpoints#connect} sets an endpoint up.
 *
 * @param queues tap queues to open: one per vCPU (Kata: {@code NumVCPUs}), at least 1
 * @param disableVhostNet do not open {@code /dev/vhost-net} even if it exists (Kata's {@code
 *     DisableVhostNet}, or rootless)
 * @param vhostNetDevice normally {@link #VHOST_NET}
 * @param devDir where macvtap character devices are (made), normally {@link TapDevice#DEV_DIR}
 * @param timeout deadline for the set-up (and for the teardown) inside the namespace
 */
public record ConnectOptions(
    int queues, boolean disableVhostNet, Path vhostNetDevice, Path devDir, Duration timeout) {
  public static final Path VHOST_NET = Path.of("/dev/vhost-net");

  public ConnectOptions {
    if (queues < 1) {
      throw new IllegalArgumentException("queues " + queues + " (at least 1)");
    }
  }

  /** {@code queues} queues, vhost-net when present, {@code /dev}, {@link NetNs#DEFAULT_TIMEOUT}. */
  public static ConnectOptions of(int queues) {
    return new ConnectOptions(queues, false, VHOST_NET, TapDevice.DEV_DIR, NetNs.DEFAULT_TIMEOUT);
  }

  public ConnectOptions withoutVhostNet() {
    return new ConnectOptions(queues, true, vhostNetDevice, devDir, timeout);
  }
}
