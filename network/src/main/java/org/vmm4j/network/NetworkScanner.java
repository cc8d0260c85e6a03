package org.vmm4j.network;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Builds endpoints from what a CNI plugin left in a namespace, as Kata's {@code
 * createEndpointsFromScan} does: every link with at least one address that is not a loopback
 * becomes an endpoint; {@code idx} counts the accepted links and names the pair ({@code
 * br<idx>_kata}, {@code tap<idx>_kata}); the result is sorted by endpoint name.
 *
 * <p>Classification, first match wins: a NIC with a PCI address in sysfs is physical; a vhost-user
 * socket at {@code <dir>/vhostuser_<ip>/vhu.sock} for one of its addresses makes it vhost-user;
 * otherwise by kind: macvlan, macvtap, tun (tap mode only), veth, ipvlan. Anything else fails the
 * scan ({@link NetlinkException.Unsupported}), as in Kata.
 */
public final class NetworkScanner {
  private NetworkScanner() {}

  /** Scans {@code ns} on its thread. */
  public static NetworkScan scan(NetNs ns, ScanOptions options) {
    return ns.run(
        ctx -> {
          Path sysfs = options.sysfsRoot() != null ? options.sysfsRoot() : ctx.sysfs();
          return scan(ctx.netlink(), sysfs, options);
        });
  }

  /** Scans what {@code nl} sees; {@code sysfs} must show the same namespace (or be a test tree). */
  public static NetworkScan scan(Netlink nl, Path sysfs, ScanOptions options) {
    List<Address> allAddresses = nl.addresses().list();
    List<Route> allRoutes = nl.routes().list();
    List<Neighbor> allNeighbors = nl.neighbors();
    PhysicalNics nics = new PhysicalNics(sysfs);
    List<NetworkScan.Entry> entries = new ArrayList<>();
    int idx = 0;
    for (Link link : nl.links().list()) {
      List<Address> addresses =
          allAddresses.stream().filter(a -> a.linkIndex() == link.index()).toList();
      if (addresses.isEmpty() || link.isLoopback()) {
        continue;
      }
      List<Route> routes =
          allRoutes.stream()
              .filter(r -> r.table() == Route.TABLE_MAIN && r.linkIndex() == link.index())
              .toList();
      List<Neighbor> neighbors =
          allNeighbors.stream()
              .filter(n -> n.linkIndex() == link.index() && n.isPermanent())
              .toList();
      Endpoint ep = endpoint(link, addresses, idx, options, nics);
      entries.add(new NetworkScan.Entry(ep, link, addresses, routes, neighbors));
      idx++;
    }
    entries.sort(Comparator.comparing(e -> e.endpoint().name()));
    return new NetworkScan(entries);
  }

  private static Endpoint endpoint(
      Link link, List<Address> addresses, int idx, ScanOptions options, PhysicalNics nics) {
    Optional<String> bdf = nics.pciAddress(link.name());
    if (bdf.isPresent()) {
      return nics.endpoint(link.name(), link.mac(), bdf.get());
    }
    for (Address a : addresses) {
      Path sock =
          options
              .vhostUserDir()
              .resolve("vhostuser_" + a.local().address().getHostAddress())
              .resolve("vhu.sock");
      if (Files.exists(sock)) {
        return new Endpoint.VhostUser(link.name(), sock, link.mac(), "");
      }
    }
    InterworkingModel model = options.model();
    switch (link.kind()) {
      case "veth":
        return new Endpoint.Veth(NetPair.forIndex(idx, link.name(), model), "");
      case "macvlan":
        return new Endpoint.Macvlan(NetPair.forIndex(idx, link.name(), model), "");
      case "ipvlan":
        return new Endpoint.IpVlan(
            NetPair.forIndex(idx, link.name(), InterworkingModel.TCFILTER), "");
      case "macvtap":
        return new Endpoint.Macvtap(link.name(), link.mac(), "");
      case "tun":
        if (!link.isTap()) {
          throw unsupported(link, "tun mode (only tap mode is)");
        }
        NetPair pair = NetPair.forIndex(idx, link.name(), model);
        return new Endpoint.Tuntap(pair.withTap(pair.tap().withMac(link.mac())), "");
      default:
        throw unsupported(link, "kind '" + link.kind() + "'");
    }
  }

  private static NetlinkException unsupported(Link link, String what) {
    return new NetlinkException.Unsupported(
        "scan", "interface " + link.name(), "Unsupported network interface: " + what, 0);
  }
}
