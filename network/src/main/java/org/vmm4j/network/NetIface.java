package org.vmm4j.network;

import java.util.List;

/**
 * One side of a network pair, as Kata persists it ({@code NetworkInterface{Name, HardAddr,
 * Addrs}}).
 *
 * @param name the interface name
 * @param mac the hardware address, or null while unknown (persisted as {@code ""})
 * @param addresses addresses carried with it (the macvtap model moves the veth's here)
 */
public record NetIface(String name, MacAddress mac, List<Address> addresses) {
  public NetIface {
    addresses = List.copyOf(addresses);
  }

  public NetIface withMac(MacAddress newMac) {
    return new NetIface(name, newMac, addresses);
  }

  public NetIface withAddresses(List<Address> newAddresses) {
    return new NetIface(name, mac, newAddresses);
  }
}
