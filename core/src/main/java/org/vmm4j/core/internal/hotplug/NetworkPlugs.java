package org.vmm4j.core.internal.hotplug;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.core.internal.net.Attachment;
import org.vmm4j.core.internal.net.EndpointSelection;
import org.vmm4j.core.internal.net.NetnsPaths;
import org.vmm4j.core.internal.net.RecordedEndpoint;
import org.vmm4j.network.ConnectOptions;
import org.vmm4j.network.Endpoint;
import org.vmm4j.network.InterworkingModel;
import org.vmm4j.network.MacAddress;
import org.vmm4j.network.NetNs;
import org.vmm4j.network.NetworkScan;
import org.vmm4j.network.NetworkScanner;
import org.vmm4j.network.ScanOptions;
import org.vmm4j.persist.NetworkConfig;
import org.vmm4j.persist.NetworkInfo;
import org.vmm4j.persist.SandboxState;

/**
 * Network endpoint attaches inside a transaction: the interfaces of the sandbox's namespace (all or
 * nothing), or a vhost-user backend. Detaching is an unplug like any other ({@link DeviceUnplugs}).
 */
public final class NetworkPlugs {
  private NetworkPlugs() {}

  /**
   * Attaches interfaces of the namespace: scans it, connects each new interface on the host and
   * adds its NIC over QMP; records them and the namespace.
   *
   * @param asked the namespace asked for (empty: the sandbox's own)
   * @param iface the one interface asked for (empty: every new one)
   * @param model the interworking model (empty: the sandbox's)
   * @param options queues, vhost-net
   */
  public static List<Device> attach(
      Tx tx,
      Optional<String> asked,
      Optional<String> iface,
      Optional<InterworkingModel> model,
      ConnectOptions options) {
    String what = "sandbox " + tx.sandboxId() + ": hotplug net";
    tx.begin("hotplug net");
    SandboxState st = tx.model().stored().sandbox();
    Path ns = namespace(asked, st, what);
    List<RecordedEndpoint> recorded = DeviceTable.endpoints(tx.model());
    InterworkingModel m = model.orElse(sandboxModel(st));
    List<Device> out = new ArrayList<>();
    // open until the transaction ends: a rollback restores the endpoints' host sides through it
    NetNs netns = NetNs.open(ns);
    tx.atEnd(netns::close);
    NetworkScan scan = NetworkScanner.scan(netns, ScanOptions.of(m));
    List<Endpoint> todo = EndpointSelection.select(scan, recorded, iface, what, ns.toString());
    EndpointAttacher a = new EndpointAttacher(tx, netns, options);
    var placement = a.placement(what);
    for (Endpoint e : todo) {
      Attachment done = a.attach(e, placement);
      out.add(a.added(done));
    }
    recordNamespace(tx, ns.toString());
    return out;
  }

  /**
   * Attaches a vhost-user network backend listening on {@code socket} (guest memory must be
   * shared), recorded as a {@code VhostUserEndpoint} named {@code vhost-user-<n>}.
   *
   * @param mac the guest NIC's MAC; empty for a random locally administered one
   */
  public static Device attachVhostUser(Tx tx, Path socket, Optional<MacAddress> mac) {
    String name = freeVhostUserName(DeviceTable.endpoints(tx.model()));
    Endpoint.VhostUser e =
        new Endpoint.VhostUser(name, socket, mac.orElseGet(MacAddress::randomLocal), "");
    EndpointAttacher a = new EndpointAttacher(tx, null, ConnectOptions.of(1));
    String what = "sandbox " + tx.sandboxId() + ": hotplug vhost-user-net";
    return a.added(a.attach(e, a.placement(what)));
  }

  private static Path namespace(Optional<String> name, SandboxState st, String what) {
    String own = st.network() == null ? "" : st.network().netNsPath();
    Optional<Path> asked = name.map(NetnsPaths::resolve);
    if (asked.isPresent() && !Files.exists(asked.get())) {
      throw new HotplugRefusedException(what + ": no network namespace at " + asked.get());
    }
    if (own.isEmpty()) {
      return asked.orElseThrow(
          () ->
              new HotplugRefusedException(
                  what + ": the sandbox has no network namespace: name one (--netns)"));
    }
    if (asked.isPresent() && !NetnsPaths.same(asked.get(), Path.of(own))) {
      throw new HotplugRefusedException(
          what + ": the sandbox's network namespace is " + own + ", not " + asked.get());
    }
    return Path.of(own);
  }

  /** The namespace in {@code NetworkInfo} and, when the config names none, in its config. */
  private static void recordNamespace(Tx tx, String ns) {
    tx.model()
        .updateState(
            st -> {
              NetworkInfo old = st.network();
              SandboxState.Builder b =
                  st.toBuilder()
                      .network(
                          new NetworkInfo(
                              ns,
                              old == null ? 0 : old.netmonPid(),
                              old != null && old.netNsCreated(),
                              old == null ? null : old.endpoints()));
              NetworkConfig nc = st.config().networkConfig();
              if (nc.netNsPath().isEmpty() && !ns.isEmpty()) {
                b.config(
                    st.config().toBuilder()
                        .networkConfig(
                            new NetworkConfig(
                                ns,
                                nc.netNsCreated(),
                                nc.disableNewNetNs(),
                                nc.interworkingModel()))
                        .build());
              }
              return b.build();
            });
  }

  private static InterworkingModel sandboxModel(SandboxState st) {
    long code = st.config().networkConfig().interworkingModel();
    return code == MODEL_MACVTAP ? InterworkingModel.MACVTAP : InterworkingModel.TCFILTER;
  }

  /** Kata's {@code NetInterworkingModel} code of macvtap. */
  private static final long MODEL_MACVTAP = 1;

  private static String freeVhostUserName(List<RecordedEndpoint> recorded) {
    for (int i = 0; ; i++) {
      String n = "vhost-user-" + i;
      if (recorded.stream().noneMatch(r -> r.name().equals(n))) {
        return n;
      }
    }
  }
}
