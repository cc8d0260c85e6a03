package org.vmm4j.network.testing;

import java.util.Comparator;
import java.util.List;
import org.vmm4j.network.Address;
import org.vmm4j.network.IpPrefix;
import org.vmm4j.network.Link;
import org.vmm4j.network.LinkSpec;
import org.vmm4j.network.MacAddress;
import org.vmm4j.network.NetNs;
import org.vmm4j.network.Netlink;
import org.vmm4j.network.Qdisc;
import org.vmm4j.network.Route;
import org.vmm4j.network.TcFilter;
import org.vmm4j.network.TestNamespaces;

/**
 * What a CNI bridge plugin leaves behind, in two namespaces this fixture creates: in the pod
 * namespace {@code eth0} (a veth, MAC {@link #POD_MAC}, MTU 1450, {@code 10.88.0.5/16} and {@code
 * fd88::5/64}, default route via {@code 10.88.0.1}); its peer {@code vethpeer0} in the peer
 * namespace with {@code 10.88.0.1/16} (playing the host side).
 */
public final class CniFixture implements AutoCloseable {
  public static final MacAddress POD_MAC = MacAddress.parse("0a:58:0a:58:00:05");
  public static final String POD_IP = "10.88.0.5";
  public static final String PEER_IP = "10.88.0.1";

  /** {@code IFA_F_TENTATIVE}: duplicate address detection not over. */
  static final int TENTATIVE = 0x40;

  public final NetNs pod;
  public final NetNs peer;

  public CniFixture(String tag) {
    pod = TestNamespaces.create(tag + "p");
    try {
      peer = TestNamespaces.create(tag + "h");
    } catch (RuntimeException | Error e) {
      pod.delete();
      throw e;
    }
    pod.run(
        ctx -> {
          setUpPod(ctx.netlink());
          return null;
        });
    peer.run(
        ctx -> {
          Netlink nl = ctx.netlink();
          Link p = nl.links().get("vethpeer0");
          nl.links().setMtu(p.index(), 1450);
          nl.addresses().add(Address.of(p.index(), PEER_IP + "/16"));
          nl.links().setUp(p.index());
          return null;
        });
  }

  private void setUpPod(Netlink nl) {
    nl.links().create(new LinkSpec.Veth("eth0", "vethpeer0", peer));
    Link eth0 = nl.links().get("eth0");
    nl.links().setMac(eth0.index(), POD_MAC);
    nl.links().setMtu(eth0.index(), 1450);
    nl.addresses().add(Address.of(eth0.index(), POD_IP + "/16"));
    nl.addresses().add(Address.of(eth0.index(), "fd88::5/64"));
    nl.links().setUp(eth0.index());
    nl.routes().add(Route.via(null, IpPrefix.literal(PEER_IP), eth0.index(), 2));
  }

  /** Everything teardown must restore, as one comparable value. */
  public record State(
      Link eth0,
      List<String> addresses,
      List<Route> routes,
      List<Link> links,
      List<Qdisc> qdiscs,
      List<TcFilter> filters) {}

  /**
   * The pod namespace as it is now: every link (name, kind, MAC, MTU, flags, queue length, master,
   * operational state), eth0's addresses, all routes, ingress qdiscs and eth0's ingress filters.
   */
  public State podState() {
    return pod.run(
        ctx -> {
          Netlink nl = ctx.netlink();
          Link eth0 = nl.links().get("eth0");
          List<String> addresses =
              nl.addresses().list(eth0.index()).stream()
                  .map(
                      a ->
                          a.local()
                              + " "
                              + a.label()
                              + " flags "
                              + (a.flags() & 0xff)
                              + " scope "
                              + a.scope()
                              + " brd "
                              + a.broadcast())
                  .sorted()
                  .toList();
          List<Route> routes =
              nl.routes().list().stream().sorted(Comparator.comparing(Route::toString)).toList();
          List<Link> links =
              nl.links().list().stream().sorted(Comparator.comparing(Link::name)).toList();
          List<TcFilter> filters =
              nl.tc().qdiscs(eth0.index()).stream().anyMatch(Qdisc::isIngress)
                  ? nl.tc().ingressFilters(eth0.index())
                  : List.of();
          // Only ingress qdiscs are ever added; a root qdisc (mq, fq_codel) is the kernel's own,
          // attached the first time a device goes up and kept after it goes down.
          List<Qdisc> ingress = nl.tc().qdiscs().stream().filter(Qdisc::isIngress).toList();
          return new State(eth0, addresses, routes, links, ingress, filters);
        });
  }

  /**
   * {@link #podState()} once the kernel has settled it: no address tentative ({@code
   * IFA_F_TENTATIVE}) any more. IPv6 addresses, new or put back, run duplicate address detection
   * for a second or two and get their local routes when it ends; compare settled states.
   *
   * @throws AssertionError when some address is still tentative after 10 s
   */
  public State settledPodState() {
    long end = System.nanoTime() + 10_000_000_000L;
    while (true) {
      State s = podState();
      boolean tentative =
          s.addresses().stream()
              .map(a -> Integer.parseInt(a.replaceAll(".* flags (\\d+) .*", "$1")))
              .anyMatch(f -> (f & TENTATIVE) != 0);
      if (!tentative) {
        return s;
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("pod namespace not settled after 10 s: " + s.addresses());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Override
  public void close() {
    try {
      pod.delete();
    } finally {
      peer.delete();
    }
  }
}
