package org.vmm4j.network;

/** What a link's kind adds to it ({@code IFLA_INFO_DATA}), for the kinds this module uses. */
public sealed interface LinkDetails {

  /** Nothing known beyond the common attributes. */
  record None() implements LinkDetails {}

  /**
   * A tuntap device ({@code kind tun}).
   *
   * @param tap tap mode (Ethernet frames) rather than tun (IP packets)
   * @param multiQueue {@code IFF_MULTI_QUEUE}
   * @param persist survives the last descriptor being closed
   * @param vnetHdr {@code IFF_VNET_HDR}
   * @param packetInfo frames carry the 4-byte packet-information header (no {@code IFF_NO_PI})
   */
  record Tun(boolean tap, boolean multiQueue, boolean persist, boolean vnetHdr, boolean packetInfo)
      implements LinkDetails {}

  /**
   * A macvlan or macvtap device.
   *
   * @param mode {@code MACVLAN_MODE_*}: 1 private, 2 vepa, 4 bridge, 8 passthru, 16 source
   */
  record Macvlan(int mode) implements LinkDetails {
    public static final int MODE_BRIDGE = 4;
  }
}
