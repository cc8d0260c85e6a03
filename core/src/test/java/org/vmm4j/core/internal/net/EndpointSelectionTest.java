package org.vmm4j.core.internal.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.devices.PciBridge;
import org.vmm4j.devices.PciTopology;
import org.vmm4j.network.Endpoint;
import org.vmm4j.network.EndpointRecords;
import org.vmm4j.network.InterworkingModel;
import org.vmm4j.network.Link;
import org.vmm4j.network.MacAddress;
import org.vmm4j.network.NetPair;
import org.vmm4j.network.NetworkScan;
import org.vmm4j.persist.NetworkInfo;

/** Which scanned endpoints are attached, and how they are renumbered. */
class EndpointSelectionTest {
  static final MacAddress MAC = MacAddress.parse("0a:58:0a:58:00:05");

  static NetworkScan scan(Endpoint... endpoints) {
    return new NetworkScan(
        java.util.Arrays.stream(endpoints)
            .map(
                e ->
                    new NetworkScan.Entry(
                        e,
                        new Link(1, e.name(), "veth", MAC, 1500, 1, 0, 0, 0, 6, 1, null),
                        List.of(),
                        List.of(),
                        List.of()))
            .toList());
  }

  static Endpoint.Veth veth(int idx, String name) {
    return new Endpoint.Veth(NetPair.forIndex(idx, name, InterworkingModel.TCFILTER), "");
  }

  static List<RecordedEndpoint> recorded(Endpoint... endpoints) {
    NetworkInfo info = EndpointRecords.networkInfo("/run/netns/x", false, List.of(endpoints));
    return RecordedEndpoints.read(
        info.endpoints(), PciTopology.of("sb1", List.of(PciBridge.pciBridge(0))));
  }

  @Test
  void everyNewInterfaceRenumberedPastTheRecordedPairs() {
    List<Endpoint> chosen =
        EndpointSelection.select(
            scan(veth(0, "eth0"), veth(1, "eth1"), veth(2, "eth2")),
            recorded(veth(0, "eth1")),
            Optional.empty(),
            "hotplug net",
            "ns");
    assertThat(chosen).extracting(Endpoint::name).containsExactly("eth0", "eth2");
    assertThat(chosen)
        .extracting(e -> ((Endpoint.Paired) e).pair().name())
        .containsExactly("br1_kata", "br2_kata");
    assertThat(chosen)
        .extracting(e -> ((Endpoint.Paired) e).pair().tap().name())
        .containsExactly("tap1_kata", "tap2_kata");
  }

  @Test
  void theTapsOfAttachedEndpointsAreNeverCandidates() {
    // up, our taps (and macvtaps) have a link-local address: the scan lists them
    NetPair ours = NetPair.forIndex(0, "tap0_kata", InterworkingModel.TCFILTER);
    Endpoint.Tuntap tap0 = new Endpoint.Tuntap(ours, "");
    Endpoint.Macvtap mvt = new Endpoint.Macvtap("tap1_kata", MAC, "");
    assertThatThrownBy(
            () ->
                EndpointSelection.select(
                    scan(veth(0, "eth0"), tap0, mvt),
                    recorded(veth(0, "eth0"), veth(1, "eth1")),
                    Optional.empty(),
                    "op",
                    "ns"))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessageStartingWith("op: nothing new in ns");
    assertThat(
            EndpointSelection.select(
                scan(veth(0, "eth0"), tap0, veth(5, "eth5")),
                recorded(veth(0, "eth0")),
                Optional.empty(),
                "op",
                "ns"))
        .extracting(Endpoint::name)
        .containsExactly("eth5");
  }

  @Test
  void aTuntapGetsThePairIdARestoreDerives() {
    NetPair p = NetPair.forIndex(3, "tun0", InterworkingModel.TCFILTER);
    Endpoint.Tuntap t = new Endpoint.Tuntap(p.withTap(p.tap().withMac(MAC)), "");
    Endpoint.Tuntap chosen =
        (Endpoint.Tuntap)
            EndpointSelection.select(scan(t), List.of(), Optional.empty(), "op", "ns").get(0);
    assertThat(chosen.pair().tap().name()).isEqualTo("tap0_kata");
    assertThat(chosen.pair().id()).isEqualTo(EndpointRecords.tuntapPairId("tap0_kata"));
    assertThat(chosen.guestMac()).isEqualTo(MAC);
  }

  @Test
  void oneInterface() {
    assertThat(
            EndpointSelection.select(
                scan(veth(0, "eth0"), veth(1, "eth1")), List.of(), Optional.of("eth1"), "op", "ns"))
        .extracting(Endpoint::name)
        .containsExactly("eth1");
  }

  @Test
  void refusals() {
    assertThatThrownBy(
            () ->
                EndpointSelection.select(
                    scan(veth(0, "eth0")), List.of(), Optional.of("eth9"), "op", "/run/netns/p"))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessage(
            "op: no interface eth9 with an address in /run/netns/p (interfaces with an address:"
                + " eth0)");
    assertThatThrownBy(
            () ->
                EndpointSelection.select(
                    scan(veth(0, "eth0")),
                    recorded(veth(0, "eth0")),
                    Optional.of("eth0"),
                    "op",
                    "ns"))
        .hasMessage("op: interface eth0 of ns is attached already");
    assertThatThrownBy(
            () ->
                EndpointSelection.select(
                    scan(veth(0, "eth0")), recorded(veth(0, "eth0")), Optional.empty(), "op", "ns"))
        .hasMessage("op: nothing new in ns (interfaces with an address: eth0; attached: eth0)");
    assertThatThrownBy(
            () -> EndpointSelection.select(scan(), List.of(), Optional.empty(), "op", "ns"))
        .hasMessage("op: nothing new in ns (no interface with an address)");
    Endpoint nic =
        new Endpoint.Physical("enp3s0", MAC, "0000:03:00.0", "e1000e", "0x8086 0x10d3", "");
    assertThatThrownBy(
            () -> EndpointSelection.select(scan(nic), List.of(), Optional.empty(), "op", "ns"))
        .hasMessage(
            "op: interface enp3s0 of ns is a physical NIC (0000:03:00.0, e1000e): handing it over"
                + " with VFIO is not supported");
  }
}
