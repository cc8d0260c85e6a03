package org.vmm4j.network;

import java.net.InetAddress;

/**
 * A neighbour (ARP / NDP) entry ({@code ip neigh}).
 *
 * @param linkIndex the interface
 * @param ip the neighbour's address
 * @param mac its link-layer address, or null (incomplete, failed)
 * @param state {@code NUD_*}; {@link #NUD_PERMANENT} for static entries (the ones Kata tells the
 *     guest)
 */
public record Neighbor(int linkIndex, InetAddress ip, MacAddress mac, int state) {
  public static final int NUD_PERMANENT = 0x80;

  public boolean isPermanent() {
    return (state & NUD_PERMANENT) != 0;
  }
}
