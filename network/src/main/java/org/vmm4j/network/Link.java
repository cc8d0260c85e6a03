package org.vmm4j.network;

/**
 * A network interface as the kernel reports it ({@code RTM_NEWLINK}).
 *
 * @param index the interface index (per namespace)
 * @param name the interface name
 * @param kind the {@code IFLA_INFO_KIND}: {@code veth}, {@code macvtap}, {@code tun}, {@code
 *     bridge}, ...; empty for a device without one (a physical NIC, loopback)
 * @param mac the hardware address, or null if it has none
 * @param mtu the MTU
 * @param flags the {@code IFF_*} flags ({@link #IFF_UP}, {@link #IFF_LOOPBACK}, ...)
 * @param txQueueLength {@code IFLA_TXQLEN}
 * @param parentIndex {@code IFLA_LINK} (a macvtap's lower device, a veth's peer), 0 if none
 * @param masterIndex {@code IFLA_MASTER} (the bridge it is enslaved to), 0 if none
 * @param operState {@code IFLA_OPERSTATE} ({@code RFC 2863}: 2 down, 6 up, 0 unknown)
 * @param arpType {@code ifi_type} (1 Ethernet, 772 loopback, 65534 none)
 * @param details what the kind adds (tun flags, macvlan mode)
 */
public record Link(
    int index,
    String name,
    String kind,
    MacAddress mac,
    int mtu,
    int flags,
    int txQueueLength,
    int parentIndex,
    int masterIndex,
    int operState,
    int arpType,
    LinkDetails details) {

  public static final int IFF_UP = 0x1;
  public static final int IFF_BROADCAST = 0x2;
  public static final int IFF_LOOPBACK = 0x8;
  public static final int IFF_NOARP = 0x80;
  public static final int IFF_MULTICAST = 0x1000;
  public static final int ARPHRD_ETHER = 1;
  public static final int ARPHRD_LOOPBACK = 772;

  public boolean isUp() {
    return (flags & IFF_UP) != 0;
  }

  public boolean isLoopback() {
    return (flags & IFF_LOOPBACK) != 0;
  }

  /** A tuntap device in tap mode. */
  public boolean isTap() {
    return details instanceof LinkDetails.Tun t && t.tap();
  }

  @Override
  public String toString() {
    return name
        + "#"
        + index
        + (kind.isEmpty() ? "" : " " + kind)
        + " "
        + mac
        + " mtu "
        + mtu
        + (isUp() ? " up" : " down");
  }
}
