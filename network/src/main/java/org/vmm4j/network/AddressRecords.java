package org.vmm4j.network;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.vmm4j.persist.IpMask;
import org.vmm4j.persist.IpNet;
import org.vmm4j.persist.NetIp;
import org.vmm4j.persist.NetlinkAddr;
import org.vmm4j.persist.NetworkInterface;

/**
 * Interfaces and addresses in Kata's persisted form ({@code NetworkInterface},
 * vishvananda/netlink's {@code Addr}): the address as {@code AddrList} reports it, so that Kata's
 * files and ours read alike. An address with a peer is {@code IPNet} = local address with a full
 * mask and {@code Peer} = the peer with the prefix (netlink's {@code parseAddr}); without one,
 * {@code IPNet} = the address with its prefix and {@code Peer} nil.
 */
final class AddressRecords {
  private AddressRecords() {}

  static NetworkInterface toPersisted(NetIface iface) {
    List<NetlinkAddr> addrs =
        iface.addresses().isEmpty()
            ? null
            : iface.addresses().stream().map(AddressRecords::toPersisted).toList();
    return new NetworkInterface(
        iface.name(), iface.mac() == null ? "" : iface.mac().toString(), addrs);
  }

  /** The interface; addresses without an IP (nil {@code IPNet}) cannot be re-added and are left. */
  static NetIface fromPersisted(NetworkInterface iface) {
    MacAddress mac = iface.hardAddr().isEmpty() ? null : MacAddress.parse(iface.hardAddr());
    List<Address> addresses = new ArrayList<>();
    if (iface.addrs() != null) {
      for (NetlinkAddr a : iface.addrs()) {
        if (a.ipNet() != null && !a.ipNet().ip().isNil()) {
          addresses.add(fromPersisted(a));
        }
      }
    }
    return new NetIface(iface.name(), mac, addresses);
  }

  static NetlinkAddr toPersisted(Address a) {
    int bits = a.local().address().getAddress().length * 8;
    IpNet local;
    IpNet peer = null;
    if (a.peer() == null) {
      local = ipNet(a.local().address(), a.local().length(), bits);
    } else {
      local = ipNet(a.local().address(), bits, bits);
      peer = ipNet(a.peer().address(), a.peer().length(), bits);
    }
    return NetlinkAddr.builder()
        .ipNet(local)
        .label(a.label())
        .flags(a.flags() & 0xffff_ffffL)
        .scope(a.scope())
        .peer(peer)
        .broadcast(a.broadcast() == null ? NetIp.NIL : NetIp.of(a.broadcast().getAddress()))
        .preferedLft(a.preferredLifetime())
        .validLft(a.validLifetime())
        .build();
  }

  /** The address on link index 0 (the caller puts it on its interface). */
  static Address fromPersisted(NetlinkAddr a) {
    InetAddress ip = inet(a.ipNet().ip());
    IpPrefix local;
    IpPrefix peer = null;
    if (a.peer() != null && !a.peer().ip().isNil()) {
      int length = prefixLength(a.peer().mask(), ip);
      local = new IpPrefix(ip, length);
      peer = new IpPrefix(inet(a.peer().ip()), length);
    } else {
      local = new IpPrefix(ip, prefixLength(a.ipNet().mask(), ip));
    }
    return new Address(
        0,
        local,
        a.label(),
        (int) a.flags(),
        (int) a.scope(),
        peer,
        a.broadcast().isNil() ? null : inet(a.broadcast()),
        a.preferedLft(),
        a.validLft());
  }

  private static IpNet ipNet(InetAddress ip, int ones, int bits) {
    return new IpNet(NetIp.of(ip.getAddress()), IpMask.cidr(ones, bits));
  }

  /** A canonical mask's length; a nil or odd mask means the full length (a host address). */
  private static int prefixLength(IpMask mask, InetAddress ip) {
    int full = ip.getAddress().length * 8;
    if (mask == null) {
      return full;
    }
    int ones = mask.prefixLength();
    return ones < 0 || ones > full ? full : ones;
  }

  private static InetAddress inet(NetIp ip) {
    try {
      return InetAddress.getByAddress(ip.bytes());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + ip, e);
    }
  }
}
