package org.vmm4j.core.internal.net;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmm4j.network.Endpoint;
import org.vmm4j.network.EndpointRecords;
import org.vmm4j.network.Endpoints;
import org.vmm4j.network.NetNs;
import org.vmm4j.persist.NetworkEndpoint;
import org.vmm4j.persist.NetworkInfo;
import org.vmm4j.persist.SandboxState;

/**
 * The host side of a stopped sandbox's endpoints, torn down once QEMU is gone. Kata (1.13, 2.1)
 * detaches them at stop only when it created the namespace ({@code NetNsCreated}), and then deletes
 * the namespace; otherwise it leaves the CNI plugin's namespace as it is, taps, filters and moved
 * addresses included, for the plugin's own teardown. vmm4j never creates the namespace and always
 * gives it back as the plugin made it: taps, macvtaps, qdiscs and filters removed, the interfaces'
 * MACs, addresses, routes and state restored ({@link Endpoints#disconnect} with the {@link
 * LinkRestoreFiles}). The stopped state records no endpoint any more ({@code Endpoints} nil) and
 * keeps {@code NetNsPath}. Failures are logged: a stop does not fail for them.
 */
public final class NetworkTeardown {
  private static final Logger LOG = LoggerFactory.getLogger(NetworkTeardown.class);

  private NetworkTeardown() {}

  /**
   * Tears down the endpoints {@code st} records (call it once QEMU is gone, before the VM directory
   * is removed) and returns {@code st} without them.
   */
  public static SandboxState afterStop(SandboxState st, Path vmDir) {
    NetworkInfo net = st.network();
    List<NetworkEndpoint> recorded = net.endpoints();
    if (recorded == null || recorded.isEmpty()) {
      return st;
    }
    String sid = st.sandboxContainer();
    String path = net.netNsPath();
    if (path.isEmpty() || !Files.exists(Path.of(path))) {
      LOG.info("sandbox {}: namespace {} is gone, and its interfaces with it", sid, path);
    } else {
      try (NetNs ns = NetNs.open(Path.of(path))) {
        for (NetworkEndpoint ne : recorded) {
          disconnect(sid, ns, ne, vmDir);
        }
      } catch (RuntimeException e) {
        LOG.warn("sandbox {}: cannot enter namespace {}: {}", sid, path, e.toString());
      }
    }
    NetworkInfo left = new NetworkInfo(path, net.netmonPid(), net.netNsCreated(), null);
    return st.toBuilder().network(left).build();
  }

  private static void disconnect(String sid, NetNs ns, NetworkEndpoint ne, Path vmDir) {
    try {
      Endpoint e = EndpointRecords.fromPersisted(ne);
      if (e instanceof Endpoint.Paired || e instanceof Endpoint.Tap) {
        Endpoints.disconnect(ns, e, LinkRestoreFiles.read(vmDir, e.name()));
        LinkRestoreFiles.delete(vmDir, e.name());
      }
    } catch (RuntimeException e) {
      LOG.warn("sandbox {}: tear down endpoint {}: {}", sid, ne.type(), e.toString());
    }
  }
}
