package org.vmm4j.network;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Whether vhost-net descriptors were opened for an endpoint, and why not. */
public enum VhostNet {
  /** One {@code /dev/vhost-net} descriptor per queue is open. */
  OPENED,
  /** Not asked for ({@link ConnectOptions#disableVhostNet()}). */
  DISABLED,
  /** The host has no {@code /dev/vhost-net}: QEMU runs the queues itself (vhost off). */
  ABSENT,
  /** The endpoint kind takes none (macvtap endpoint aside: vhost-user, physical). */
  NOT_APPLICABLE;

  private static final Logger LOG = LoggerFactory.getLogger(VhostNet.class);
  private static final AtomicBoolean ABSENCE_REPORTED = new AtomicBoolean();

  /** Opens the descriptors when wanted and possible; says which case applied. */
  static VhostNet open(ConnectOptions options, String endpoint, List<OwnedFd> into) {
    if (options.disableVhostNet()) {
      return DISABLED;
    }
    if (!Files.exists(options.vhostNetDevice())) {
      // Said once per process at INFO (a host without vhost-net stays without it), then DEBUG.
      String how = "endpoint {}: no {} on this host, vhost-net off (QEMU serves the queues)";
      if (ABSENCE_REPORTED.compareAndSet(false, true)) {
        LOG.info(how, endpoint, options.vhostNetDevice());
      } else {
        LOG.debug(how, endpoint, options.vhostNetDevice());
      }
      return ABSENT;
    }
    List<OwnedFd> fds = new ArrayList<>();
    try {
      for (int q = 0; q < options.queues(); q++) {
        fds.add(
            Fds.openReadWrite(
                options.vhostNetDevice(),
                options.vhostNetDevice() + " " + endpoint + " queue " + q));
      }
    } catch (RuntimeException e) {
      fds.forEach(OwnedFd::close);
      throw e;
    }
    into.addAll(fds);
    return OPENED;
  }
}
