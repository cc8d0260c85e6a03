package org.vmm4j.network;

import java.net.InetAddress;

/**
 * An address on a link, with everything Kata's {@code netlink.Addr} persists (IP and mask, label,
 * flags, scope, peer, broadcast, lifetimes).
 *
 * @param linkIndex the interface it is on
 * @param local the address and prefix length ({@code IFA_LOCAL}, or {@code IFA_ADDRESS} for IPv6)
 * @param label the IPv4 label ({@code eth0:1}), or empty
 * @param flags {@code IFA_F_*} ({@code IFA_FLAGS} when present, else {@code ifa_flags})
 * @param scope {@code RT_SCOPE_*} (0 universe, 253 link, 254 host)
 * @param peer the other end of a point-to-point address, or null
 * @param broadcast the IPv4 broadcast address, or null
 * @param preferredLifetime seconds, {@code 0xffffffff} = forever
 * @param validLifetime seconds, {@code 0xffffffff} = forever
 */
public record Address(
    int linkIndex,
    IpPrefix local,
    String label,
    int flags,
    int scope,
    IpPrefix peer,
    InetAddress broadcast,
    long preferredLifetime,
    long validLifetime) {

  public static final long FOREVER = 0xffff_ffffL;
  public static final int IFA_F_PERMANENT = 0x80;
  public static final int RT_SCOPE_LINK = 253;
  public static final int RT_SCOPE_HOST = 254;

  /** A permanent address of universe scope, like {@code ip addr add 10.1.2.3/24 dev X}. */
  public static Address of(int linkIndex, String prefix) {
    return new Address(linkIndex, IpPrefix.parse(prefix), "", 0, 0, null, null, FOREVER, FOREVER);
  }

  /** The same address on another link. */
  public Address withLinkIndex(int index) {
    return new Address(
        index, local, label, flags, scope, peer, broadcast, preferredLifetime, validLifetime);
  }

  public boolean isIpv4() {
    return local.isIpv4();
  }

  /** An IPv6 link-local address ({@code fe80::/10}). */
  public boolean isLinkLocal() {
    return local.address().isLinkLocalAddress();
  }

  @Override
  public String toString() {
    return local + (label.isEmpty() ? "" : " label " + label) + " dev#" + linkIndex;
  }
}
