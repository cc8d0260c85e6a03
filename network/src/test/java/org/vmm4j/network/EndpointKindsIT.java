package org.vmm4j.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.testing.network.CniFixture;

/** Tap, tuntap, macvtap and vhost-user endpoints: set-up, what QEMU gets, teardown. */
class EndpointKindsIT {
  @TempDir Path tmp;
  private CniFixture cni;
  private NetNs pod;

  @BeforeEach
  void cniNamespace() {
    assumeTrue(CniFixture.unavailable().isEmpty(), CniFixture.unavailable().orElse(""));
    cni = new CniFixture("kind");
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

  @Test
  void tapEndpointCreatesAMultiQueueTapAndDeletesIt() {
    CniFixture.State before = cni.podState();
    MacAddress mac = MacAddress.parse("02:aa:bb:cc:dd:01");
    Endpoint.Tap ep =
        new Endpoint.Tap(
            UUID.randomUUID().toString(),
            "eth9",
            new NetIface("tap9_kata", mac, List.of()),
            1400,
            "");
    try (ConnectedEndpoint c = Endpoints.connect(pod, ep, ConnectOptions.of(3))) {
      assertThat(c.queueFds()).hasSize(3);
      assertThat(c.netdevId()).isEqualTo("eth9");
      assertThat(c.deviceId()).isEqualTo("virtio-" + ep.id());
      assertThat(c.guestMac()).isEqualTo(mac);
      Link tap = pod.run(ctx -> ctx.netlink().links().get("tap9_kata"));
      assertThat(tap.isTap()).isTrue();
      assertThat(tap.mac()).isEqualTo(mac);
      assertThat(tap.mtu()).isEqualTo(1400);
      assertThat(tap.isUp()).isTrue();
    }
    assertThat(cni.podState()).isEqualTo(before);
  }

  @Test
  void tapEndpointOnAnExistingTapPutsItBack() {
    pod.run(
        ctx -> {
          ctx.openTap(TapDevice.Config.kata("tap8_kata", 1)).close();
          return null;
        });
    CniFixture.State before = cni.podState();
    Endpoint.Tap ep =
        new Endpoint.Tap(
            "id8",
            "eth8",
            new NetIface("tap8_kata", MacAddress.parse("02:aa:bb:cc:dd:08"), List.of()),
            1300,
            "");
    try (ConnectedEndpoint c = Endpoints.connect(pod, ep, ConnectOptions.of(2))) {
      assertThat(c.queueFds()).hasSize(2);
      Link tap = pod.run(ctx -> ctx.netlink().links().get("tap8_kata"));
      assertThat(tap.mtu()).isEqualTo(1300);
      assertThat(tap.isUp()).isTrue();
    }
    assertThat(cni.podState()).isEqualTo(before);
  }

  @Test
  void macvtapEndpointGivesQueuesAndLeavesTheCniMacvtap() {
    pod.run(
        ctx -> {
          Link eth0 = ctx.netlink().links().get("eth0");
          ctx.netlink().links().create(new LinkSpec.Macvtap("mvcni0", eth0.index(), 4, 0, 0));
          return null;
        });
    CniFixture.State before = cni.podState();
    Endpoint.Macvtap ep = new Endpoint.Macvtap("mvcni0", null, "");
    try (ConnectedEndpoint c = Endpoints.connect(pod, ep, ConnectOptions.of(2))) {
      assertThat(c.queueFds()).hasSize(2).allMatch(OwnedFd::isOpen);
      CniFixture.LinkState mvt =
          before.links().stream().filter(l -> l.name().equals("mvcni0")).findFirst().orElseThrow();
      assertThat(c.guestMac()).isEqualTo(MacAddress.parse(mvt.mac()));
      assertThat(c.netdevId()).isEqualTo("mvcni0");
    }
    assertThat(cni.podState()).isEqualTo(before);
  }

  @Test
  void tuntapFromCniIsJoinedLikeAVeth() {
    pod.run(
        ctx -> {
          ctx.openTap(
                  new TapDevice.Config("tapcni0", 1, TapDevice.IFF_TAP | TapDevice.IFF_NO_PI, true))
              .close();
          Link t = ctx.netlink().links().get("tapcni0");
          ctx.netlink().addresses().add(Address.of(t.index(), "10.99.0.2/24"));
          return null;
        });
    CniFixture.State before = cni.podState();
    Endpoint tuntap =
        NetworkScanner.scan(pod, ScanOptions.of(InterworkingModel.TCFILTER)).endpoints().stream()
            .filter(e -> e.name().equals("tapcni0"))
            .findFirst()
            .orElseThrow();
    assertThat(tuntap.type()).isEqualTo("tuntap");
    try (ConnectedEndpoint c = Endpoints.connect(pod, tuntap, ConnectOptions.of(1))) {
      int cniIndex = pod.run(ctx -> ctx.netlink().links().get("tapcni0").index());
      int ours = pod.run(ctx -> ctx.netlink().links().get(c.tapName()).index());
      List<TcFilter> filters = pod.run(ctx -> ctx.netlink().tc().ingressFilters(cniIndex));
      assertThat(filters).anyMatch(f -> f.redirectTo() == ours);
    }
    assertThat(cni.podState()).isEqualTo(before);
  }

  @Test
  void vhostUserNeedsItsSocketAndTakesNoFds() throws Exception {
    Path sock = tmp.resolve("vhu.sock");
    Endpoint.VhostUser ep =
        new Endpoint.VhostUser("vu0", sock, MacAddress.parse("02:00:00:00:00:09"), "");
    assertThatThrownBy(() -> Endpoints.connect(pod, ep, ConnectOptions.of(1)))
        .isInstanceOf(NetlinkException.NotFound.class)
        .hasMessageContaining("no socket at " + sock);
    Files.createFile(sock);
    try (ConnectedEndpoint c = Endpoints.connect(pod, ep, ConnectOptions.of(1))) {
      assertThat(c.queueFds()).isEmpty();
      assertThat(c.vhostFds()).isEmpty();
      assertThat(c.vhostNet()).isEqualTo(VhostNet.NOT_APPLICABLE);
    }
  }

  @Test
  void vhostNetDescriptorsAreOpenedPerQueueWhenTheDeviceExists() {
    // No /dev/vhost-net on these hosts: a stand-in device node proves the open/close path.
    ConnectOptions withVhost =
        new ConnectOptions(
            3, false, Path.of("/dev/null"), TapDevice.DEV_DIR, NetNs.DEFAULT_TIMEOUT);
    Endpoint.Veth ep =
        new Endpoint.Veth(NetPair.forIndex(0, "eth0", InterworkingModel.TCFILTER), "");
    List<OwnedFd> vhost;
    try (ConnectedEndpoint c = Endpoints.connect(pod, ep, withVhost)) {
      assertThat(c.vhostNet()).isEqualTo(VhostNet.OPENED);
      vhost = c.vhostFds();
      assertThat(vhost).hasSize(3).allMatch(OwnedFd::isOpen);
      assertThat(vhost.get(0).description()).contains("/dev/null").contains("queue 0");
    }
    assertThat(vhost).noneMatch(OwnedFd::isOpen);
    try (ConnectedEndpoint c = Endpoints.connect(pod, ep, ConnectOptions.of(1).withoutVhostNet())) {
      assertThat(c.vhostNet()).isEqualTo(VhostNet.DISABLED);
      assertThat(c.vhostFds()).isEmpty();
    }
  }
}
