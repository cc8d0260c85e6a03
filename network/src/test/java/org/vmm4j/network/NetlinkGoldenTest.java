package org.vmm4j.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Every request we build, byte for byte against what {@code ip} and {@code tc} sent for the same
 * operation (captured with strace by {@code golden/netlink/capture.sh}; interface indexes there:
 * tbveth1 2, tbveth0 3, tbbr0 4, tbmvt0 5). The session adds {@code NLM_F_REQUEST|NLM_F_ACK}, as
 * iproute2 does for every change; a mismatch prints both in hex.
 */
class NetlinkGoldenTest {
  private static final int REQUEST_ACK = NlConst.NLM_F_REQUEST | NlConst.NLM_F_ACK;

  private static void assertEncodes(MessageWriter ours, String golden) {
    assertEncodes(ours, golden, REQUEST_ACK);
  }

  private static void assertEncodes(MessageWriter ours, String golden, int sessionFlags) {
    byte[] bytes = ours.flags(ours.flags() | sessionFlags).finish(0, 0);
    assertThat(HexFormat.ofDelimiter(" ").formatHex(bytes))
        .as(golden)
        .isEqualTo(HexFormat.ofDelimiter(" ").formatHex(Golden.request(golden)));
  }

  @Test
  void links() {
    assertEncodes(LinkCodec.create(new LinkSpec.Veth("tbveth0", "tbveth1"), null), "link-add-veth");
    assertEncodes(LinkCodec.create(new LinkSpec.Bridge("tbbr0"), null), "link-add-bridge");
    assertEncodes(
        LinkCodec.create(new LinkSpec.Macvtap("tbmvt0", 3, 4, 0, 0), null), "link-add-macvtap");
    assertEncodes(LinkCodec.setUp(3, true), "link-set-up");
    assertEncodes(LinkCodec.setUp(3, false), "link-set-down");
    assertEncodes(LinkCodec.setMtu(3, 1400), "link-set-mtu");
    assertEncodes(LinkCodec.setMac(3, MacAddress.parse("02:11:22:33:44:55")), "link-set-address");
    assertEncodes(LinkCodec.setMaster(2, 4), "link-set-master");
    assertEncodes(LinkCodec.setMaster(2, 0), "link-set-nomaster");
    assertEncodes(LinkCodec.delete(5), "link-del");
    // The last request of `ip link show tbveth1` looks up its peer's name by index (3). `ip` sends
    // GETs without NLM_F_ACK; the session asks for the ack too (same payload).
    assertEncodes(LinkCodec.getByIndex(3), "link-get", NlConst.NLM_F_REQUEST);
  }

  @Test
  void addresses() {
    assertEncodes(AddrCodec.add(Address.of(3, "10.1.2.3/24")), "addr-add-v4");
    assertEncodes(
        AddrCodec.add(
            new Address(
                3,
                IpPrefix.parse("10.1.2.4/24"),
                "tbveth0:1",
                0,
                0,
                null,
                IpPrefix.literal("10.1.2.255"),
                Address.FOREVER,
                Address.FOREVER)),
        "addr-add-v4-brd-label");
    assertEncodes(AddrCodec.add(Address.of(3, "fd00::5/64")), "addr-add-v6");
    assertEncodes(AddrCodec.delete(Address.of(3, "10.1.2.4/24")), "addr-del-v4");
  }

  @Test
  void routes() {
    IpPrefix dst = IpPrefix.parse("10.9.0.0/16");
    assertEncodes(
        RouteCodec.add(Route.via(dst, IpPrefix.literal("10.1.2.1"), 3, 2)), "route-add-via");
    assertEncodes(
        RouteCodec.add(Route.via(null, IpPrefix.literal("10.1.2.1"), 0, 2)), "route-add-default");
    Route v6 = Route.direct(IpPrefix.parse("fd01::/64"), 3);
    assertEncodes(
        RouteCodec.add(
            new Route(
                v6.family(),
                v6.destination(),
                null,
                null,
                3,
                v6.table(),
                v6.protocol(),
                v6.scope(),
                v6.type(),
                300)),
        "route-add-v6-metric");
    assertEncodes(
        RouteCodec.delete(new Route(2, dst, null, null, 0, Route.TABLE_MAIN, 0, 0, 0, 0)),
        "route-del");
  }

  @Test
  void trafficControl() {
    assertEncodes(TcCodec.addIngress(3), "qdisc-add-ingress");
    assertEncodes(TcCodec.deleteIngress(3), "qdisc-del-ingress");
    assertEncodes(TcCodec.addRedirect(3, 0, 2), "filter-add-mirred");
    assertEncodes(TcCodec.deleteFilters(3, 0), "filter-del");
  }
}
