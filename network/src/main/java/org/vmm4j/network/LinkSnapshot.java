package org.vmm4j.network;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a CNI interface looked like before set-up touched it, and how to put its addresses and
 * routes back exactly (the link's MAC and state are restored by their own undo steps).
 *
 * @param link the link as it was
 * @param addresses its addresses, in the kernel's order (primary first)
 * @param routes its routes in every table but {@code local}, except those the kernel makes by
 *     itself ({@code proto kernel}: they come back with the addresses)
 */
record LinkSnapshot(Link link, List<Address> addresses, List<Route> routes) {
  private static final Logger LOG = LoggerFactory.getLogger(LinkSnapshot.class);
  private static final int TABLE_LOCAL = 255;

  static LinkSnapshot take(Netlink nl, Link link) {
    List<Route> routes =
        nl.routes().list().stream()
            .filter(r -> r.linkIndex() == link.index())
            .filter(r -> r.table() != TABLE_LOCAL && r.protocol() != Route.PROTO_KERNEL)
            .toList();
    return new LinkSnapshot(link, nl.addresses().list(link.index()), routes);
  }

  /**
   * Makes the link's addresses equal to the snapshot's (adds what is missing, removes what was not
   * there, e.g. a link-local address derived from a MAC set in between), then re-adds missing
   * routes.
   */
  void restoreAddressesAndRoutes(Netlink nl) {
    Set<IpPrefix> wanted = addresses.stream().map(Address::local).collect(Collectors.toSet());
    List<Address> current = nl.addresses().list(link.index());
    Set<IpPrefix> present = current.stream().map(Address::local).collect(Collectors.toSet());
    for (Address a : reversed(current)) {
      if (!wanted.contains(a.local())) {
        LOG.debug("{}: removing {} (not there before)", link.name(), a.local());
        ignoreMissing(() -> nl.addresses().delete(a));
      }
    }
    for (Address a : addresses) {
      if (!present.contains(a.local())) {
        nl.addresses().add(a);
      }
    }
    List<Route> now = nl.routes().list();
    for (Route r : routes) {
      if (!now.contains(r)) {
        try {
          nl.routes().add(r);
        } catch (NetlinkException.Exists e) {
          LOG.debug("{}: route {} already back", link.name(), r);
        }
      }
    }
  }

  /** Deletes every address of the link, secondaries first (a primary takes its secondaries). */
  static void deleteAddresses(Netlink nl, List<Address> addresses) {
    for (Address a : reversed(addresses)) {
      ignoreMissing(() -> nl.addresses().delete(a));
    }
  }

  private static <T> List<T> reversed(List<T> list) {
    List<T> copy = new ArrayList<>(list);
    Collections.reverse(copy);
    return copy;
  }

  /** Runs {@code action}; a {@link NetlinkException.NotFound} means it is already done. */
  static void ignoreMissing(Runnable action) {
    try {
      action.run();
    } catch (NetlinkException.NotFound e) {
      LOG.debug("already gone: {}", e.getMessage());
    }
  }
}
