package org.vmm4j.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The public value types: parsing, printing, Kata's names and codes. */
class ValuesTest {

  @Test
  void macAddressParsesAndPrintsLikeGo() {
    MacAddress m = MacAddress.parse("0A:58:0a:58:00:05");
    assertThat(m).hasToString("0a:58:0a:58:00:05");
    assertThat(MacAddress.of(m.bytes())).isEqualTo(m);
    assertThat(MacAddress.parse("0a-58-0a-58-00-05")).isEqualTo(m);
    assertThatThrownBy(() -> MacAddress.parse("0a:58:0a:58:00"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @RepeatedTest(20)
  void randomMacIsLocallyAdministeredUnicastAsKataMakesIt() {
    byte first = MacAddress.randomLocal().bytes()[0];
    assertThat(first & 0x02).isEqualTo(2);
    assertThat(first & 0x01).isZero();
  }

  @Test
  void ipPrefixAndItsMask() {
    IpPrefix p = IpPrefix.parse("10.88.0.5/16");
    assertThat(p.family()).isEqualTo(2);
    assertThat(HexFormat.of().formatHex(p.mask())).isEqualTo("ffff0000");
    IpPrefix v6 = IpPrefix.parse("fd00::5/64");
    assertThat(v6.family()).isEqualTo(10);
    assertThat(HexFormat.of().formatHex(v6.mask())).isEqualTo("ffffffffffffffff0000000000000000");
    assertThat(IpPrefix.parse("10.0.0.1").length()).isEqualTo(32);
    assertThatThrownBy(() -> IpPrefix.parse("10.0.0.1/33"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IpPrefix.literal("example.com"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void interworkingModelCodesAreKatas() {
    assertThat(InterworkingModel.values())
        .extracting(InterworkingModel::code)
        .containsExactly(0, 1, 2, 3);
    assertThat(InterworkingModel.DEFAULT.resolve()).isEqualTo(InterworkingModel.TCFILTER);
    assertThat(InterworkingModel.parse("macvtap")).isEqualTo(InterworkingModel.MACVTAP);
    assertThat(InterworkingModel.fromCode(2)).isEqualTo(InterworkingModel.TCFILTER);
    assertThatThrownBy(() -> InterworkingModel.fromCode(4))
        .hasMessage("interworking model code 4 (0..3)");
  }

  @Test
  void netPairNamesAsKata() {
    NetPair p = NetPair.forIndex(3, "", InterworkingModel.MACVTAP);
    assertThat(p.name()).isEqualTo("br3_kata");
    assertThat(p.tap().name()).isEqualTo("tap3_kata");
    assertThat(p.tap().mac()).isNull();
    assertThat(p.virt().name()).isEqualTo("eth3");
    assertThat(p.id()).matches("[0-9a-f-]{36}");
    assertThat(NetPair.forIndex(0, "eth7", InterworkingModel.DEFAULT).virt().name())
        .isEqualTo("eth7");
  }

  @Test
  void endpointTypesNamesAndGuestMacs() {
    MacAddress mac = MacAddress.parse("02:00:00:00:00:01");
    NetPair pair = NetPair.forIndex(0, "eth0", InterworkingModel.TCFILTER);
    NetPair connected = pair.withTap(pair.tap().withMac(mac));
    List<Endpoint> all =
        List.of(
            new Endpoint.Veth(connected, ""),
            new Endpoint.Macvlan(connected, ""),
            new Endpoint.IpVlan(connected, ""),
            new Endpoint.Tuntap(connected, ""),
            new Endpoint.Tap("id", "eth1", new NetIface("tap1_kata", mac, List.of()), 0, ""),
            new Endpoint.Macvtap("mv0", mac, ""),
            new Endpoint.VhostUser("vu0", Path.of("/tmp/s"), mac, ""),
            new Endpoint.Physical("ph0", mac, "0000:00:03.0", "e1000e", "0x8086 0x100e", ""));
    assertThat(all)
        .extracting(Endpoint::type)
        .containsExactly(
            "virtual", "macvlan", "ipvlan", "tuntap", "tap", "macvtap", "vhost-user", "physical");
    assertThat(all).extracting(Endpoint::guestMac).containsOnly(mac);
    assertThat(all)
        .extracting(Endpoint::name)
        .containsExactly("eth0", "eth0", "eth0", "eth0", "eth1", "mv0", "vu0", "ph0");
    assertThat(all)
        .allMatch(e -> e.withPciPath("02/03").pciPath().equals("02/03"))
        .allMatch(e -> e.withPciPath("02/03").getClass() == e.getClass());
  }
}
