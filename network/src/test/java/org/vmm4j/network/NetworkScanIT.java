package org.vmm4j.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.testing.network.CniFixture;

/**
 * The scan of a namespace a CNI plugin prepared: one endpoint per configured, non-loopback
 * interface, classified as Kata does, sorted by name, with what the guest must be told.
 */
class NetworkScanIT {
  @TempDir Path tmp;
  private CniFixture cni;
  private NetNs pod;

  @BeforeEach
  void cniNamespace() {
    assumeTrue(CniFixture.unavailable().isEmpty(), CniFixture.unavailable().orElse(""));
    cni = new CniFixture("scan");
    pod = NetNs.open(cni.podName());
  }

  @AfterEach
  void remove() {
    try {
      if (pod != null) {
        pod.close();
      }
    } finally {
      if (cni != null) {
        cni.close();
      }
    }
  }

  private void addInterfaces() {
    pod.run(
        ctx -> {
          Netlink nl = ctx.netlink();
          nl.links().setUp(nl.links().get("lo").index());
          ctx.openTap(
                  new TapDevice.Config("tapcni0", 1, TapDevice.IFF_TAP | TapDevice.IFF_NO_PI, true))
              .close();
          addr(nl, "tapcni0", "10.99.0.2/24");
          Link vx = nl.links().create(new LinkSpec.Veth("vx0", "vy0"));
          nl.links().create(new LinkSpec.Macvtap("mvcni0", vx.index(), 4, 0, 0));
          addr(nl, "mvcni0", "10.77.0.2/24");
          nl.links().create(new LinkSpec.Veth("vu0", "vu1"));
          addr(nl, "vu0", "10.66.0.2/24");
          nl.links().create(new LinkSpec.Veth("phys0", "phys1"));
          addr(nl, "phys0", "10.55.0.2/24");
          return null;
        });
    String ns = cni.podName();
    TestNamespaces.ip(
        "-n",
        ns,
        "neigh",
        "add",
        "10.88.0.9",
        "lladdr",
        "02:00:00:00:00:09",
        "dev",
        "eth0",
        "nud",
        "permanent");
    TestNamespaces.ip(
        "-n",
        ns,
        "neigh",
        "add",
        "10.88.0.10",
        "lladdr",
        "02:00:00:00:00:10",
        "dev",
        "eth0",
        "nud",
        "reachable");
  }

  private static void addr(Netlink nl, String link, String prefix) {
    nl.addresses().add(Address.of(nl.links().get(link).index(), prefix));
  }

  @Test
  void classifiesSkipsAndSortsLikeKata() throws Exception {
    addInterfaces();
    Files.createDirectories(tmp.resolve("vhu/vhostuser_10.66.0.2"));
    Files.createFile(tmp.resolve("vhu/vhostuser_10.66.0.2/vhu.sock"));
    new FakeSysfs(tmp.resolve("sys")).nic("phys0", "0000:00:03.0", "e1000e", "0x8086", "0x100e");
    ScanOptions options =
        new ScanOptions(InterworkingModel.MACVTAP, tmp.resolve("sys"), tmp.resolve("vhu"));

    NetworkScan scan = NetworkScanner.scan(pod, options);

    // lo (loopback), vx0/vy0/vu1/phys1 (no address) are skipped; the rest is sorted by name.
    assertThat(scan.endpoints())
        .extracting(Endpoint::name)
        .containsExactly("eth0", "mvcni0", "phys0", "tapcni0", "vu0");
    Map<String, Endpoint> byName =
        scan.endpoints().stream().collect(Collectors.toMap(Endpoint::name, Function.identity()));
    Endpoint.Veth eth0 = (Endpoint.Veth) byName.get("eth0");
    assertThat(eth0.pair().name()).isEqualTo("br0_kata");
    assertThat(eth0.pair().tap().name()).isEqualTo("tap0_kata");
    assertThat(eth0.pair().model()).isEqualTo(InterworkingModel.MACVTAP);
    assertThat(eth0.pair().virt().mac().bytes()[0] & 3).isEqualTo(2);
    assertThat(byName.get("mvcni0")).isInstanceOf(Endpoint.Macvtap.class);
    assertThat(byName.get("phys0"))
        .isEqualTo(
            new Endpoint.Physical(
                "phys0",
                byName.get("phys0").guestMac(),
                "0000:00:03.0",
                "e1000e",
                "0x8086 0x100e",
                ""));
    Endpoint.Tuntap tuntap = (Endpoint.Tuntap) byName.get("tapcni0");
    assertThat(tuntap.guestMac()).isNotNull();
    assertThat(byName.get("vu0")).isInstanceOf(Endpoint.VhostUser.class);
    assertThat(((Endpoint.VhostUser) byName.get("vu0")).socket())
        .isEqualTo(tmp.resolve("vhu/vhostuser_10.66.0.2/vhu.sock"));

    NetworkScan.Entry e = scan.entries().get(0);
    assertThat(e.link().mac()).isEqualTo(MacAddress.parse(CniFixture.POD_MAC));
    assertThat(e.link().mtu()).isEqualTo(1450);
    assertThat(e.addresses())
        .extracting(a -> a.local().toString())
        .contains(CniFixture.POD_IP + "/16", "fd88:0:0:0:0:0:0:5/64");
    assertThat(e.routes())
        .anyMatch(r -> r.isDefault() && r.gateway().getHostAddress().equals(CniFixture.PEER_IP))
        .anyMatch(r -> r.protocol() == Route.PROTO_KERNEL);
    assertThat(e.guestRoutes()).isNotEmpty().noneMatch(r -> r.protocol() == Route.PROTO_KERNEL);
    assertThat(e.neighbors())
        .singleElement()
        .isEqualTo(
            new Neighbor(
                e.link().index(),
                IpPrefix.literal("10.88.0.9"),
                MacAddress.parse("02:00:00:00:00:09"),
                Neighbor.NUD_PERMANENT));
  }

  @Test
  void theNamespacesOwnSysfsFindsNoPhysicalNicInIt() {
    NetworkScan scan = NetworkScanner.scan(pod, ScanOptions.of(InterworkingModel.DEFAULT));
    assertThat(scan.endpoints()).singleElement().isInstanceOf(Endpoint.Veth.class);
  }

  @Test
  void anUnsupportedKindFailsTheScanAsInKata() {
    pod.run(
        ctx -> {
          Link br = ctx.netlink().links().create(new LinkSpec.Bridge("br9"));
          ctx.netlink().addresses().add(Address.of(br.index(), "10.44.0.1/24"));
          return null;
        });
    assertThatThrownBy(() -> NetworkScanner.scan(pod, ScanOptions.of(InterworkingModel.DEFAULT)))
        .isInstanceOf(NetlinkException.Unsupported.class)
        .hasMessage("scan interface br9: Unsupported network interface: kind 'bridge'");
  }
}
