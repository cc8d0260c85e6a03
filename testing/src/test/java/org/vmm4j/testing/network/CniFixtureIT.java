package org.vmm4j.testing.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fixture sets up what it says, and its snapshot sees every kind of change a teardown must undo
 * (so a test comparing snapshots can fail), and nothing that changes by itself.
 */
class CniFixtureIT {
  private CniFixture cni;
  private CniFixture.State before;

  @BeforeEach
  void setUp() {
    assumeTrue(CniFixture.unavailable().isEmpty(), CniFixture.unavailable().orElse(""));
    cni = new CniFixture("fx");
    // What the constructor hands out has settled already.
    before = cni.podState();
  }

  @AfterEach
  void tearDown() {
    if (cni != null) {
      cni.close();
    }
  }

  private void ip(String... args) {
    HostCommand.ip(cni.podName(), args);
  }

  private void tc(String... args) {
    HostCommand.tc(cni.podName(), args);
  }

  @Test
  void thePodNamespaceIsWhatACniBridgePluginLeaves() {
    CniFixture.LinkState eth0 = before.eth0();
    assertThat(eth0.kind()).isEqualTo("veth");
    assertThat(eth0.mac()).isEqualTo(CniFixture.POD_MAC);
    assertThat(eth0.mtu()).isEqualTo(1450);
    assertThat(eth0.flags()).contains("UP", "LOWER_UP").doesNotContain("NO-CARRIER");
    assertThat(eth0.operState()).isEqualTo("UP");
    assertThat(eth0.parent()).startsWith("#");
    assertThat(before.addresses())
        .anyMatch(a -> a.startsWith("inet " + CniFixture.POD_IP + "/16 label eth0 scope global"))
        .anyMatch(a -> a.startsWith("inet6 " + CniFixture.POD_IP6 + "/64 scope global"))
        .anyMatch(a -> a.startsWith("inet6 fe80:"))
        .noneMatch(a -> a.contains("tentative"));
    assertThat(before.routes())
        .contains("-4 dst default gateway " + CniFixture.PEER_IP + " dev eth0")
        .anyMatch(r -> r.startsWith("-6 type local dst " + CniFixture.POD_IP6 + " dev eth0 "))
        .anyMatch(r -> r.startsWith("-6 type local dst fe80:"));
    assertThat(before.links()).extracting(CniFixture.LinkState::name).containsExactly("eth0", "lo");
    assertThat(before.qdiscs()).isEmpty();
    assertThat(before.filters()).isEmpty();
    String peer = HostCommand.ip(cni.peerName(), "-j", "addr", "show", "dev", "vethpeer0");
    assertThat(peer).contains("\"local\":\"" + CniFixture.PEER_IP + "\"", "\"mtu\":1450");
    assertThat(cni.podPath()).exists();
    assertThat(cni.podState()).isEqualTo(before);
  }

  @Test
  void linkAttributesShow() {
    ip("link", "set", "eth0", "mtu", "1400");
    assertThat(cni.podState().eth0().mtu()).isEqualTo(1400);
    assertThat(cni.podState()).isNotEqualTo(before);
    ip("link", "set", "eth0", "mtu", "1450");
    ip("link", "set", "eth0", "address", "0a:58:0a:58:00:06");
    assertThat(cni.podState().eth0().mac()).isEqualTo("0a:58:0a:58:00:06");
    ip("link", "set", "eth0", "address", CniFixture.POD_MAC);
    ip("link", "set", "eth0", "txqueuelen", "500");
    assertThat(cni.podState()).isNotEqualTo(before);
    ip("link", "set", "eth0", "txqueuelen", "1000");
    assertThat(cni.settledPodState()).isEqualTo(before);
  }

  @Test
  void addressesAndRoutesShow() {
    ip("addr", "add", "10.88.0.9/16", "dev", "eth0");
    assertThat(cni.podState().addresses()).anyMatch(a -> a.startsWith("inet 10.88.0.9/16"));
    ip("addr", "del", "10.88.0.9/16", "dev", "eth0");
    assertThat(cni.settledPodState()).isEqualTo(before);
    ip("route", "add", "10.99.0.0/16", "via", CniFixture.PEER_IP, "dev", "eth0");
    assertThat(cni.podState().routes()).anyMatch(r -> r.contains("dst 10.99.0.0/16"));
    ip("route", "del", "10.99.0.0/16");
    ip("route", "del", "default");
    assertThat(cni.podState().routes()).noneMatch(r -> r.contains("dst default"));
    ip("route", "add", "default", "via", CniFixture.PEER_IP, "dev", "eth0");
    assertThat(cni.settledPodState()).isEqualTo(before);
    // Put back, an IPv6 address runs duplicate address detection again, then gets its local route.
    ip("addr", "del", CniFixture.POD_IP6 + "/64", "dev", "eth0");
    ip("addr", "add", CniFixture.POD_IP6 + "/64", "dev", "eth0");
    assertThat(cni.settledPodState()).isEqualTo(before);
  }

  @Test
  void trafficControlShows() {
    ip("tuntap", "add", "tapfx0", "mode", "tap");
    CniFixture.State withTap = cni.podState();
    tc("qdisc", "add", "dev", "eth0", "ingress");
    CniFixture.State withQdisc = cni.podState();
    assertThat(withQdisc.qdiscs())
        .containsExactly("dev eth0 kind ingress handle ffff: parent ffff:fff1");
    tc(
        "filter",
        "add",
        "dev",
        "eth0",
        "parent",
        "ffff:",
        "protocol",
        "all",
        "u32",
        "match",
        "u8",
        "0",
        "0",
        "action",
        "mirred",
        "egress",
        "redirect",
        "dev",
        "tapfx0");
    List<String> filters = cni.podState().filters();
    assertThat(filters).anyMatch(f -> f.contains("action kind mirred mirred_action redirect"));
    assertThat(filters).anyMatch(f -> f.endsWith("to_dev tapfx0"));
    tc("filter", "del", "dev", "eth0", "parent", "ffff:");
    assertThat(cni.podState()).isEqualTo(withQdisc);
    tc("qdisc", "del", "dev", "eth0", "ingress");
    assertThat(cni.podState()).isEqualTo(withTap);
    ip("link", "del", "tapfx0");
    assertThat(cni.settledPodState()).isEqualTo(before);
  }

  @Test
  void linkKindsAndMastersShow() {
    ip("tuntap", "add", "tapfx0", "mode", "tap", "multi_queue", "vnet_hdr");
    CniFixture.LinkState tap = link(cni.podState(), "tapfx0");
    assertThat(tap.kind()).isEqualTo("tun");
    assertThat(tap.details())
        .isEqualTo("type tap pi false vnet_hdr true multi_queue true persist true");
    ip("link", "add", "brfx0", "type", "bridge");
    ip("link", "set", "tapfx0", "master", "brfx0");
    assertThat(link(cni.podState(), "tapfx0").master()).isEqualTo("brfx0");
    ip("link", "del", "brfx0");
    ip("link", "del", "tapfx0");
    ip("link", "add", "link", "eth0", "name", "mvtfx0", "type", "macvtap", "mode", "bridge");
    CniFixture.LinkState mvt = link(cni.podState(), "mvtfx0");
    assertThat(mvt.details()).isEqualTo("mode bridge");
    assertThat(mvt.parent()).isEqualTo("eth0");
    ip("link", "del", "mvtfx0");
    assertThat(cni.settledPodState()).isEqualTo(before);
  }

  @Test
  void closeDeletesBothNamespaces() {
    cni.close();
    assertThat(Files.exists(cni.podPath())).isFalse();
    assertThat(Files.exists(cni.peerPath())).isFalse();
    assertThat(HostCommand.run("ip", "netns", "list"))
        .doesNotContain(cni.podName(), cni.peerName());
    cni.close(); // idempotent
    cni = null;
  }

  private static CniFixture.LinkState link(CniFixture.State s, String name) {
    return s.links().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
  }
}
