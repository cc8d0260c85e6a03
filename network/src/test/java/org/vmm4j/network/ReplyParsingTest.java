package org.vmm4j.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Kernel replies captured by {@code golden/netlink/capture.sh} (after its commands ran: tbveth0 #3
 * up, MAC 02:11:22:33:44:55, MTU 1400, 10.1.2.3/24 and fd00::5/64; tbveth1 #2; bridge tbbr0 #4;
 * macvtap tbmvt0 #5 on tbveth0; routes default via 10.1.2.1 and fd01::/64 metric 300; an ingress
 * qdisc with a u32 mirred filter tbveth0 -> tbveth1; a permanent neighbour 10.1.2.9) replayed
 * through the fake socket, multi-part dumps and all, and parsed by the same code the real socket
 * feeds.
 */
class ReplyParsingTest {

  private static Netlink replaying(int requestType, String file, int replyType) {
    FakeNetlinkSocket fake =
        new FakeNetlinkSocket().replay(requestType, Golden.dump(file, replyType));
    return FakeNetlinkSocket.netlink(fake);
  }

  @Test
  void linkDump() {
    List<Link> links =
        replaying(NlConst.RTM_GETLINK, "link-dump.reply.hex", NlConst.RTM_NEWLINK).links().list();
    Map<String, Link> byName =
        links.stream().collect(Collectors.toMap(Link::name, Function.identity()));
    assertThat(byName.keySet())
        .containsExactlyInAnyOrder("lo", "tbveth0", "tbveth1", "tbbr0", "tbmvt0");
    Link veth = byName.get("tbveth0");
    assertThat(veth.index()).isEqualTo(3);
    assertThat(veth.kind()).isEqualTo("veth");
    assertThat(veth.mac()).isEqualTo(MacAddress.parse("02:11:22:33:44:55"));
    assertThat(veth.mtu()).isEqualTo(1400);
    assertThat(veth.isUp()).isTrue();
    assertThat(veth.parentIndex()).isEqualTo(2);
    assertThat(veth.arpType()).isEqualTo(Link.ARPHRD_ETHER);
    assertThat(byName.get("tbveth1").masterIndex()).isZero();
    assertThat(byName.get("tbbr0").kind()).isEqualTo("bridge");
    Link mvt = byName.get("tbmvt0");
    assertThat(mvt.details()).isEqualTo(new LinkDetails.Macvlan(LinkDetails.Macvlan.MODE_BRIDGE));
    assertThat(mvt.parentIndex()).isEqualTo(3);
    assertThat(byName.get("lo").isLoopback()).isTrue();
    assertThat(byName.get("lo").kind()).isEmpty();
  }

  @Test
  void addressDump() {
    List<Address> addrs =
        replaying(NlConst.RTM_GETADDR, "addr-dump.reply.hex", NlConst.RTM_NEWADDR)
            .addresses()
            .list();
    assertThat(addrs).allMatch(a -> a.linkIndex() == 3);
    Map<String, Address> byIp =
        addrs.stream().collect(Collectors.toMap(a -> a.local().toString(), Function.identity()));
    Address v4 = byIp.get("10.1.2.3/24");
    assertThat(v4.label()).isEqualTo("tbveth0");
    assertThat(v4.flags() & Address.IFA_F_PERMANENT).isNotZero();
    assertThat(v4.scope()).isZero();
    assertThat(v4.peer()).isNull();
    assertThat(v4.validLifetime()).isEqualTo(Address.FOREVER);
    Address v6 = byIp.get("fd00:0:0:0:0:0:0:5/64");
    assertThat(v6.isIpv4()).isFalse();
    // tbveth1 stayed down, so tbveth0 had no carrier: no IPv6 link-local address was made.
    assertThat(addrs).hasSize(2);
  }

  @Test
  void routeDumpOfAllTables() {
    List<Route> routes =
        replaying(NlConst.RTM_GETROUTE, "route-dump.reply.hex", NlConst.RTM_NEWROUTE)
            .routes()
            .list();
    assertThat(routes)
        .anySatisfy(
            r -> {
              assertThat(r.isDefault()).isTrue();
              assertThat(r.gateway().getHostAddress()).isEqualTo("10.1.2.1");
              assertThat(r.table()).isEqualTo(Route.TABLE_MAIN);
              assertThat(r.protocol()).isEqualTo(Route.PROTO_BOOT);
              assertThat(r.linkIndex()).isEqualTo(3);
            })
        .anySatisfy(
            r -> {
              assertThat(r.destination()).hasToString("fd01:0:0:0:0:0:0:0/64");
              assertThat(r.priority()).isEqualTo(300);
            })
        .anyMatch(r -> r.table() == 255 && r.type() == 2)
        .anyMatch(r -> r.protocol() == Route.PROTO_KERNEL && !r.isDefault());
  }

  @Test
  void qdiscAndFilterDumps() {
    List<Qdisc> qdiscs =
        replaying(NlConst.RTM_GETQDISC, "qdisc-dump.reply.hex", NlConst.RTM_NEWQDISC).tc().qdiscs();
    assertThat(qdiscs)
        .contains(new Qdisc(3, "ingress", Qdisc.INGRESS_HANDLE, Qdisc.INGRESS_PARENT));
    List<TcFilter> filters =
        replaying(NlConst.RTM_GETTFILTER, "filter-dump.reply.hex", NlConst.RTM_NEWTFILTER)
            .tc()
            .ingressFilters(3);
    assertThat(filters)
        .contains(new TcFilter(3, TcCodec.INGRESS_FILTER_PARENT, 49152, 3, "u32", 0x80000800, 2));
  }

  @Test
  void neighbourDump() {
    List<Neighbor> neighbors =
        replaying(NlConst.RTM_GETNEIGH, "neigh-dump.reply.hex", NlConst.RTM_NEWNEIGH).neighbors();
    assertThat(neighbors)
        .contains(
            new Neighbor(
                3,
                IpPrefix.literal("10.1.2.9"),
                MacAddress.parse("02:00:00:00:00:09"),
                Neighbor.NUD_PERMANENT));
  }

  @Test
  void capturedErrorReplyBecomesATypedException() {
    // The kernel's answer to `ip link show nosuch0` (not capped: the request is echoed whole).
    byte[] error = Golden.datagrams("error-enodev.reply.hex").get(1);
    Netlink nl =
        FakeNetlinkSocket.netlink(
            new FakeNetlinkSocket()
                .respond(
                    NlConst.RTM_GETLINK,
                    req -> List.of(FakeNetlinkSocket.withSeq(error, req.seq()))));
    assertThatThrownBy(() -> nl.links().get("nosuch0"))
        .isInstanceOf(NetlinkException.NotFound.class)
        .hasMessage("RTM_GETLINK link nosuch0: No such device (ENODEV)")
        .extracting(e -> ((NetlinkException) e).errno())
        .isEqualTo(19);
  }
}
