package org.vmm4j.network;

import java.util.List;

/**
 * What {@link NetworkScanner#scan} found in a namespace: one entry per interface that becomes an
 * endpoint, sorted by endpoint name (Kata's order).
 */
public record NetworkScan(List<Entry> entries) {
  public NetworkScan {
    entries = List.copyOf(entries);
  }

  /** The endpoints, in order. */
  public List<Endpoint> endpoints() {
    return entries.stream().map(Entry::endpoint).toList();
  }

  /**
   * One interface and what the guest must be told about it (Kata's {@code NetworkInfo}: interface,
   * addresses, routes, neighbours).
   *
   * @param endpoint the endpoint built for it
   * @param link the interface (name, MAC, MTU, flags)
   * @param addresses its addresses
   * @param routes its routes in the main table
   * @param neighbors its static ({@code NUD_PERMANENT}) neighbour entries, the only ones Kata
   *     passes to the guest
   */
  public record Entry(
      Endpoint endpoint,
      Link link,
      List<Address> addresses,
      List<Route> routes,
      List<Neighbor> neighbors) {
    public Entry {
      addresses = List.copyOf(addresses);
      routes = List.copyOf(routes);
      neighbors = List.copyOf(neighbors);
    }

    /** The routes the guest agent gets: all but those the kernel made ({@code proto kernel}). */
    public List<Route> guestRoutes() {
      return routes.stream().filter(r -> r.protocol() != Route.PROTO_KERNEL).toList();
    }
  }
}
