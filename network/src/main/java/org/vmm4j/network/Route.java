package org.vmm4j.network;

import java.net.InetAddress;

/**
 * A route (what Kata tells the guest: destination, gateway, source, device, scope).
 *
 * @param family {@code AF_INET} (2) or {@code AF_INET6} (10)
 * @param destination the destination prefix, or null for the default route
 * @param gateway the next hop, or null for a directly connected route
 * @param preferredSource {@code RTA_PREFSRC}, or null
 * @param linkIndex the output interface ({@code RTA_OIF}), 0 if none
 * @param table the routing table (254 = main)
 * @param protocol {@code RTPROT_*} (2 kernel, 3 boot, 4 static)
 * @param scope {@code RT_SCOPE_*} (0 universe, 253 link, 254 host)
 * @param type {@code RTN_*} (1 unicast, 2 local, ...)
 * @param priority the metric ({@code RTA_PRIORITY}), 0 if none
 */
public record Route(
    int family,
    IpPrefix destination,
    InetAddress gateway,
    InetAddress preferredSource,
    int linkIndex,
    int table,
    int protocol,
    int scope,
    int type,
    int priority) {

  public static final int TABLE_MAIN = 254;
  public static final int PROTO_KERNEL = 2;
  public static final int PROTO_BOOT = 3;
  public static final int PROTO_STATIC = 4;
  public static final int SCOPE_UNIVERSE = 0;
  public static final int SCOPE_LINK = 253;
  public static final int TYPE_UNICAST = 1;

  /** {@code ip route add DST via GW dev LINK} ({@code null} destination = default route). */
  public static Route via(IpPrefix destination, InetAddress gateway, int linkIndex, int family) {
    return new Route(
        family,
        destination,
        gateway,
        null,
        linkIndex,
        TABLE_MAIN,
        PROTO_BOOT,
        SCOPE_UNIVERSE,
        TYPE_UNICAST,
        0);
  }

  /**
   * {@code ip route add DST dev LINK}: scope link for IPv4, universe for IPv6 (as {@code ip} does).
   */
  public static Route direct(IpPrefix destination, int linkIndex) {
    int scope = destination.isIpv4() ? SCOPE_LINK : SCOPE_UNIVERSE;
    return new Route(
        destination.family(),
        destination,
        null,
        null,
        linkIndex,
        TABLE_MAIN,
        PROTO_BOOT,
        scope,
        TYPE_UNICAST,
        0);
  }

  /** The same route through another link. */
  public Route withLinkIndex(int index) {
    return new Route(
        family,
        destination,
        gateway,
        preferredSource,
        index,
        table,
        protocol,
        scope,
        type,
        priority);
  }

  public boolean isDefault() {
    return destination == null;
  }

  @Override
  public String toString() {
    String dst = destination == null ? "default" : destination.toString();
    String via = gateway == null ? "" : " via " + gateway.getHostAddress();
    return dst + via + " dev#" + linkIndex + " table " + table + " proto " + protocol;
  }
}
