package org.vmm4j.core.internal.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vmm4j.devices.PciTopology;
import org.vmm4j.network.Endpoint;
import org.vmm4j.network.EndpointRecords;
import org.vmm4j.network.InterworkingModel;
import org.vmm4j.network.MacAddress;
import org.vmm4j.network.NetIface;
import org.vmm4j.network.NetPair;
import org.vmm4j.persist.Bridge;
import org.vmm4j.persist.NetworkInfo;

/**
 * Recorded endpoints as a new controller reads them: QEMU ids from the schema, PCI paths from
 * {@code Bridges[].DeviceAddr} (vmm4j's {@code virtio-<uuid>} keys and Kata's bare UUIDs) for the
 * kinds without a {@code PCIPath}, a macvtap's name from the device at its path.
 */
class RecordedEndpointsTest {
  static final MacAddress MAC = MacAddress.parse("0a:58:0a:58:00:05");

  @Test
  void idsAndPathsOfEveryKind() {
    NetPair p = NetPair.forIndex(0, "eth0", InterworkingModel.MACVTAP);
    NetPair kata = NetPair.forIndex(1, "eth1", InterworkingModel.TCFILTER);
    String tuntapId = EndpointRecords.tuntapPairId("tap2_kata");
    NetPair tp =
        new NetPair(
            tuntapId,
            "br2_kata",
            new NetIface("tap2_kata", MAC, List.of()),
            new NetIface("tun0", null, List.of()),
            InterworkingModel.TCFILTER);
    List<Endpoint> eps =
        List.of(
            new Endpoint.Veth(p, "02/01"),
            new Endpoint.Veth(kata, ""),
            new Endpoint.Tuntap(tp, ""),
            new Endpoint.Macvtap("mvt0", MAC, "03/00"),
            new Endpoint.VhostUser("vhost-user-0", Path.of("/s"), MAC, "02/04"),
            new Endpoint.Physical("enp1", MAC, "0000:01:00.0", "e1000e", "x", ""));
    List<Bridge> bridges =
        List.of(
            new Bridge(
                Map.of(
                    1L,
                    "virtio-" + p.id(),
                    2L,
                    kata.id(),
                    3L,
                    "virtio-" + tuntapId,
                    4L,
                    "virtio-vhost-user-0"),
                "pci",
                "pci-bridge-0",
                2),
            new Bridge(Map.of(0L, "virtio-mvt0"), "pcie-root-port", "rp0", 3));
    NetworkInfo info = EndpointRecords.networkInfo("/run/netns/x", false, eps);
    List<RecordedEndpoint> r =
        RecordedEndpoints.read(info.endpoints(), PciTopology.restore("sb1", bridges));
    assertThat(r)
        .extracting(RecordedEndpoint::name)
        .containsExactly("eth0", "eth1", "tun0", "mvt0", "vhost-user-0", "");
    assertThat(r)
        .extracting(x -> x.pciPath().toString())
        .containsExactly("02/01", "02/02", "02/03", "03/00", "02/04", "");
    assertThat(r)
        .extracting(RecordedEndpoint::deviceId)
        .containsExactly(
            "virtio-" + p.id(),
            "virtio-" + kata.id(),
            "virtio-" + tuntapId,
            "virtio-mvt0",
            "virtio-vhost-user-0",
            "");
    assertThat(r)
        .extracting(RecordedEndpoint::netdevId)
        .containsExactly("br0_kata", "br1_kata", "br2_kata", "mvt0", "net-vhost-user-0", "");
    assertThat(r)
        .as("the key each slot is recorded under: vmm4j's device id, Kata's bare UUID")
        .extracting(RecordedEndpoint::slotKey)
        .containsExactly(
            "virtio-" + p.id(),
            kata.id(),
            "virtio-" + tuntapId,
            "virtio-mvt0",
            "virtio-vhost-user-0",
            "");
    assertThat(r.get(0).endpoint().pciPath()).isEqualTo("02/01");
    assertThat(r).extracting(RecordedEndpoint::index).containsExactly(0, 1, 2, 3, 4, 5);
    assertThat(r.get(3).persisted()).isEqualTo(info.endpoints().get(3));
  }

  @Test
  void anEndpointWithoutASlotHasNoPath() {
    NetworkInfo info =
        EndpointRecords.networkInfo(
            "",
            false,
            List.of(
                new Endpoint.Macvtap("m", MAC, ""),
                new Endpoint.Veth(NetPair.forIndex(0, "eth0", InterworkingModel.TCFILTER), "")));
    List<RecordedEndpoint> r =
        RecordedEndpoints.read(info.endpoints(), PciTopology.restore("s", null));
    assertThat(r).allSatisfy(x -> assertThat(x.pciPath().isNil()).isTrue());
    assertThat(r.get(0).deviceId()).as("a macvtap without a device has no name").isEmpty();
    assertThat(r).allSatisfy(x -> assertThat(x.slotKey()).isEmpty());
    assertThat(RecordedEndpoints.read(null, PciTopology.restore("s", null))).isEmpty();
  }

  @Test
  void vhostUserDeviceIdsAreValidQemuIds() {
    assertThat(NetIds.vhostUserDevId("eth0")).isEqualTo("eth0");
    assertThat(NetIds.vhostUserDevId("0eth")).isEqualTo("vu-0eth");
    assertThat(NetIds.vhostUserDevId("a@b")).isEqualTo("vu-a_b");
    assertThat(NetIds.vhostUserDevId("x".repeat(30))).hasSize(24).startsWith("vu-");
  }
}
