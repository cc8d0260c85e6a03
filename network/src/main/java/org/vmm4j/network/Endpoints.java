package org.vmm4j.network;

import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Wires endpoints up on the host ({@link #connect}) and, for a controller that lost its in-memory
 * state, tears persisted ones down ({@link #disconnect}).
 */
public final class Endpoints {
  private Endpoints() {}

  /**
   * Sets {@code endpoint} up inside {@code ns}: for paired endpoints the interworking model's tap
   * or macvtap, its queues and filters; for a tap endpoint the tap; for a macvtap endpoint its
   * queues. Every step registers its undo; if one fails, the completed ones are undone (newest
   * first) and the failure is thrown with any undo failures suppressed in it.
   *
   * @return the wired-up endpoint, which owns the descriptors and the teardown
   * @throws NetlinkException.Exists if a name it needs is taken (e.g. {@code tap0_kata})
   * @throws NetlinkException.NotFound if the CNI interface (or vhost-user socket) is missing
   */
  public static ConnectedEndpoint connect(NetNs ns, Endpoint endpoint, ConnectOptions options) {
    // If the caller stops waiting, the set-up still finishes on the namespace thread: whichever
    // side comes second tears the result down, so nothing is left without an owner.
    AtomicReference<Object> handOver = new AtomicReference<>();
    try {
      return ns.run(
          ctx -> {
            ConnectedEndpoint c = connectHere(ctx, endpoint, options);
            if (!handOver.compareAndSet(null, c)) {
              c.close();
            }
            return c;
          },
          options.timeout());
    } catch (NetlinkException.Timeout e) {
      if (handOver.getAndSet(ABANDONED) instanceof ConnectedEndpoint late) {
        late.close();
      }
      throw e;
    }
  }

  private static final Object ABANDONED = new Object();

  private static ConnectedEndpoint connectHere(
      NetNs.Context ctx, Endpoint endpoint, ConnectOptions options) {
    Setup s = new Setup(ctx, options, endpoint.type() + " " + endpoint.name());
    try {
      return s.done(steps(s, endpoint));
    } catch (RuntimeException | Error e) {
      s.fail(e);
      throw e;
    }
  }

  private static Endpoint steps(Setup s, Endpoint endpoint) {
    if (endpoint instanceof Endpoint.Paired p) {
      return p.withPair(connectPair(s, p));
    } else if (endpoint instanceof Endpoint.Tap t) {
      return TapEndpoints.connect(s, t);
    } else if (endpoint instanceof Endpoint.Macvtap m) {
      return TapEndpoints.connectMacvtap(s, m);
    } else if (endpoint instanceof Endpoint.VhostUser v) {
      if (!Files.exists(v.socket())) {
        throw new NetlinkException.NotFound(
            "connect", "vhost-user " + v.name(), "no socket at " + v.socket(), 2);
      }
      return v;
    } else if (endpoint instanceof Endpoint.Physical p) {
      return p;
    }
    throw new AssertionError(endpoint);
  }

  private static NetPair connectPair(Setup s, Endpoint.Paired p) {
    NetPair pair = p.pair();
    Link virt = s.nl.links().get(pair.virt().name());
    checkKind(p, virt);
    InterworkingModel model =
        p instanceof Endpoint.IpVlan ? InterworkingModel.TCFILTER : pair.model().resolve();
    if (model == InterworkingModel.TCFILTER) {
      return PairModels.tcFilter(s, pair, virt);
    } else if (model == InterworkingModel.MACVTAP) {
      return PairModels.macvtap(s, pair, virt);
    }
    throw new NetlinkException(
        "connect", p.type() + " " + p.name(), "Invalid internetworking model " + model, 0);
  }

  private static void checkKind(Endpoint.Paired p, Link virt) {
    Set<String> kinds =
        p instanceof Endpoint.Tuntap ? Set.of("tun") : Set.of("veth", "macvlan", "ipvlan");
    if (!kinds.contains(virt.kind()) || (p instanceof Endpoint.Tuntap && !virt.isTap())) {
      throw new NetlinkException.InvalidArgument(
          "connect",
          p.type() + " " + p.name(),
          "interface is of kind '" + virt.kind() + "', expected " + kinds,
          22);
    }
  }

  /**
   * Tears down a persisted endpoint when the {@link ConnectedEndpoint} is gone (the controller
   * restarted): {@link #disconnect(NetNs, Endpoint, LinkRestore)} without what set-up knew beyond
   * the schema, so in the macvtap model the interface's routes stay gone.
   */
  public static void disconnect(NetNs ns, Endpoint endpoint) {
    disconnect(ns, endpoint, LinkRestore.NONE);
  }

  /**
   * Tears down a persisted endpoint when the {@link ConnectedEndpoint} is gone (the controller
   * restarted): deletes the tap or macvtap and the CNI interface's ingress qdisc (its filters go
   * with it); in the macvtap model also puts the interface's original MAC ({@code pair.tap.mac})
   * and its addresses ({@code pair.virt.addresses}) back, and with a known {@code restore} makes
   * its addresses exactly those (dropping any the kernel derived in between), re-adds its routes
   * and sets it down again if it was down. Idempotent: what is already gone or back is skipped.
   */
  public static void disconnect(NetNs ns, Endpoint endpoint, LinkRestore restore) {
    ns.run(
        ctx -> {
          disconnectHere(ctx.netlink(), endpoint, restore);
          return null;
        });
  }

  private static void disconnectHere(Netlink nl, Endpoint endpoint, LinkRestore restore) {
    if (endpoint instanceof Endpoint.Paired p) {
      NetPair pair = p.pair();
      nl.links()
          .find(pair.tap().name())
          .ifPresent(l -> LinkSnapshot.ignoreMissing(() -> nl.links().delete(l.index())));
      nl.links().find(pair.virt().name()).ifPresent(virt -> restoreVirt(nl, pair, virt, restore));
    } else if (endpoint instanceof Endpoint.Tap t) {
      nl.links()
          .find(t.tap().name())
          .ifPresent(l -> LinkSnapshot.ignoreMissing(() -> nl.links().delete(l.index())));
    }
  }

  private static void restoreVirt(Netlink nl, NetPair pair, Link virt, LinkRestore restore) {
    if (nl.tc().qdiscs(virt.index()).stream().anyMatch(Qdisc::isIngress)) {
      LinkSnapshot.ignoreMissing(() -> nl.tc().deleteIngressQdisc(virt.index()));
    }
    if (pair.model().resolve() != InterworkingModel.MACVTAP || pair.tap().mac() == null) {
      return;
    }
    if (!pair.tap().mac().equals(virt.mac())) {
      nl.links().setMac(virt.index(), pair.tap().mac());
    }
    List<Address> addresses =
        pair.virt().addresses().stream().map(a -> a.withLinkIndex(virt.index())).toList();
    if (restore.known()) {
      List<Route> routes =
          restore.routes().stream().map(r -> r.withLinkIndex(virt.index())).toList();
      new LinkSnapshot(virt, addresses, routes).restoreAddressesAndRoutes(nl);
      if (!restore.up() && nl.links().get(virt.index()).isUp()) {
        nl.links().setDown(virt.index());
      }
      return;
    }
    for (Address a : addresses) {
      try {
        nl.addresses().add(a);
      } catch (NetlinkException.Exists e) {
        // already back
      }
    }
  }
}
