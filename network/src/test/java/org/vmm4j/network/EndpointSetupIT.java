package org.vmm4j.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.vmm4j.network.InterworkingModel.MACVTAP;
import static org.vmm4j.network.InterworkingModel.TCFILTER;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.testing.network.CniFixture;

/**
 * Set-up and teardown of a CNI veth with Kata's two interworking models, in namespaces the test
 * creates: what set-up builds, that teardown restores the pod namespace exactly (the veth's MAC,
 * addresses, routes and state; no tap, macvtap, qdisc or filter left), and that a failure halfway
 * rolls back to the same state.
 */
class EndpointSetupIT {
  private static final MacAddress POD_MAC = MacAddress.parse(CniFixture.POD_MAC);

  private CniFixture cni;
  private NetNs pod;
  private CniFixture.State before;

  @BeforeEach
  void cniNamespace() {
    assumeTrue(CniFixture.unavailable().isEmpty(), CniFixture.unavailable().orElse(""));
    cni = new CniFixture("ep");
    pod = NetNs.open(cni.podName());
    before = cni.podState();
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

  private static Endpoint.Veth veth(InterworkingModel model) {
    return new Endpoint.Veth(NetPair.forIndex(0, "eth0", model), "");
  }

  @Test
  void tcfilterBuildsTapAndRedirectsAndTeardownRestoresEverything() {
    Endpoint.Veth ep = veth(InterworkingModel.TCFILTER);
    try (ConnectedEndpoint c = Endpoints.connect(pod, ep, ConnectOptions.of(2))) {
      assertThat(c.guestMac()).isEqualTo(POD_MAC);
      assertThat(c.netdevId()).isEqualTo("br0_kata");
      assertThat(c.deviceId()).isEqualTo("virtio-" + ep.pair().id());
      assertThat(c.tapName()).isEqualTo("tap0_kata");
      assertThat(c.queueFds()).hasSize(2).allMatch(OwnedFd::isOpen);
      assertThat(c.vhostNet()).isEqualTo(VhostNet.ABSENT);
      assertThat(c.vhostFds()).isEmpty();
      pod.run(
          ctx -> {
            Netlink nl = ctx.netlink();
            Link tap = nl.links().get("tap0_kata");
            Link eth0 = nl.links().get("eth0");
            assertThat(tap.details()).isEqualTo(new LinkDetails.Tun(true, true, true, true, false));
            assertThat(tap.mac()).isEqualTo(POD_MAC);
            assertThat(tap.mtu()).isEqualTo(1450);
            assertThat(tap.isUp()).isTrue();
            assertThat(nl.tc().qdiscs(tap.index())).anyMatch(Qdisc::isIngress);
            assertThat(nl.tc().qdiscs(eth0.index())).anyMatch(Qdisc::isIngress);
            assertThat(nl.tc().ingressFilters(eth0.index()))
                .anyMatch(f -> f.redirectTo() == tap.index());
            assertThat(nl.tc().ingressFilters(tap.index()))
                .anyMatch(f -> f.redirectTo() == eth0.index());
            return null;
          });
      // The veth itself is untouched by tcfilter.
      assertThat(cni.podState().eth0()).isEqualTo(before.eth0());
    }
    assertThat(cni.podState()).isEqualTo(before);
  }

  @Test
  void macvtapMovesMacAndAddressesAndTeardownRestoresTheVethExactly() {
    Endpoint.Veth ep = veth(InterworkingModel.MACVTAP);
    MacAddress random = ep.pair().virt().mac();
    try (ConnectedEndpoint c = Endpoints.connect(pod, ep, ConnectOptions.of(2))) {
      Endpoint.Veth done = (Endpoint.Veth) c.endpoint();
      assertThat(done.guestMac()).isEqualTo(POD_MAC);
      assertThat(done.pair().virt().addresses())
          .extracting(a -> a.local().toString())
          .contains(CniFixture.POD_IP + "/16", "fd88:0:0:0:0:0:0:5/64");
      assertThat(c.queueFds()).hasSize(2).allMatch(OwnedFd::isOpen);
      pod.run(
          ctx -> {
            Netlink nl = ctx.netlink();
            Link mvt = nl.links().get("tap0_kata");
            Link eth0 = nl.links().get("eth0");
            assertThat(mvt.kind()).isEqualTo("macvtap");
            assertThat(mvt.index()).isGreaterThanOrEqualTo(8192);
            assertThat(mvt.parentIndex()).isEqualTo(eth0.index());
            assertThat(mvt.mac()).isEqualTo(POD_MAC);
            assertThat(mvt.mtu()).isEqualTo(1450);
            assertThat(eth0.mac()).isEqualTo(random);
            assertThat(nl.addresses().list(eth0.index()))
                .noneMatch(a -> a.local().toString().startsWith(CniFixture.POD_IP));
            return null;
          });
    }
    // The IPv6 addresses put back run duplicate address detection again.
    assertThat(cni.settledPodState()).isEqualTo(before);
  }

  @Test
  void tcfilterFailureHalfwayRollsBack() {
    // Someone else's ingress qdisc on eth0: set-up fails after the tap is made and configured.
    pod.run(
        ctx -> {
          ctx.netlink().tc().addIngressQdisc(ctx.netlink().links().get("eth0").index());
          return null;
        });
    CniFixture.State withQdisc = cni.podState();
    assertThatThrownBy(
            () -> Endpoints.connect(pod, veth(InterworkingModel.TCFILTER), ConnectOptions.of(2)))
        .isInstanceOf(NetlinkException.Exists.class)
        .hasMessageStartingWith("RTM_NEWQDISC ingress qdisc dev #");
    assertThat(cni.podState()).isEqualTo(withQdisc);
  }

  @Test
  void macvtapFailureHalfwayRestoresTheVeth() {
    // The last step (opening the queues) fails: the macvtap exists, eth0 has lost its addresses
    // and MAC by then; all of it must come back.
    ConnectOptions noDevDir =
        new ConnectOptions(
            2, false, ConnectOptions.VHOST_NET, Path.of("/nonexistent-dev"), NetNs.DEFAULT_TIMEOUT);
    assertThatThrownBy(() -> Endpoints.connect(pod, veth(InterworkingModel.MACVTAP), noDevDir))
        .isInstanceOf(NetlinkException.NotFound.class)
        .hasMessageContaining("mknod /nonexistent-dev/tap");
    assertThat(cni.settledPodState()).isEqualTo(before);
  }

  @Test
  void aTakenNameFailsWithoutChangingAnything() {
    pod.run(ctx -> ctx.netlink().links().create(new LinkSpec.Bridge("tap0_kata")));
    CniFixture.State withBridge = cni.podState();
    for (InterworkingModel model : InterworkingModel.values()) {
      if (model == InterworkingModel.NONE) {
        continue;
      }
      assertThatThrownBy(() -> Endpoints.connect(pod, veth(model), ConnectOptions.of(1)))
          .isInstanceOf(NetlinkException.Exists.class)
          .hasMessageContaining("tap0_kata");
      assertThat(cni.podState()).isEqualTo(withBridge);
    }
  }

  @Test
  void recoveryDisconnectFromPersistedValues() {
    ConnectedEndpoint c =
        Endpoints.connect(pod, veth(InterworkingModel.TCFILTER), ConnectOptions.of(1));
    c.closeFds();
    // The controller restarted: only the persisted endpoint is left.
    Endpoints.disconnect(pod, c.endpoint());
    assertThat(cni.podState()).isEqualTo(before);
    Endpoints.disconnect(pod, c.endpoint());
  }

  @Test
  void recoveryDisconnectOfTheMacvtapModelPutsMacAndAddressesBack() {
    ConnectedEndpoint c =
        Endpoints.connect(pod, veth(InterworkingModel.MACVTAP), ConnectOptions.of(1));
    c.closeFds();
    Endpoints.disconnect(pod, c.endpoint());
    CniFixture.State after = cni.settledPodState();
    assertThat(after.eth0().mac()).isEqualTo(CniFixture.POD_MAC);
    assertThat(after.links()).extracting(CniFixture.LinkState::name).doesNotContain("tap0_kata");
    assertThat(after.addresses())
        .containsAll(
            before.addresses().stream().filter(a -> !a.startsWith("inet6 fe80:")).toList());
    // Kata persists no routes: the default route that left with the address stays gone.
    assertThat(after.routes()).noneMatch(r -> r.contains(" dst default "));
  }

  @Test
  void recoveryDisconnectFromTheSchemaAndTheLinkRestoreIsExactInBothModels() {
    // IPv6 addresses put back run duplicate address detection again (tentative for a second or
    // two, their local routes added when it ends): compare settled namespaces
    CniFixture.State settled = cni.settledPodState();
    for (InterworkingModel model : new InterworkingModel[] {MACVTAP, TCFILTER}) {
      ConnectedEndpoint c = Endpoints.connect(pod, veth(model), ConnectOptions.of(2));
      c.closeFds();
      assertThat(c.linkRestore().known()).isEqualTo(model == MACVTAP);
      // A new controller: the endpoint as the schema kept it, plus what it kept beside it.
      Endpoint persisted = EndpointRecords.fromPersisted(EndpointRecords.toPersisted(c.endpoint()));
      Endpoints.disconnect(pod, persisted, c.linkRestore());
      assertThat(cni.settledPodState()).as(model.toString()).isEqualTo(settled);
      Endpoints.disconnect(pod, persisted, c.linkRestore());
      assertThat(cni.settledPodState()).as(model + ", twice").isEqualTo(settled);
    }
  }

  @Test
  void aSetUpFinishingAfterItsCallerGaveUpIsTornDown() throws Exception {
    // Hold the namespace thread until the caller has given up: the set-up queues behind, misses
    // its deadline, and runs only after that.
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch gaveUp = new CountDownLatch(1);
    CompletableFuture<Boolean> held =
        CompletableFuture.supplyAsync(
            () ->
                pod.run(
                    ctx -> {
                      holding.countDown();
                      return gaveUp.await(30, TimeUnit.SECONDS);
                    },
                    Duration.ofSeconds(60)));
    assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
    ConnectOptions hasty =
        new ConnectOptions(
            1, false, ConnectOptions.VHOST_NET, TapDevice.DEV_DIR, Duration.ofMillis(100));
    try {
      assertThatThrownBy(() -> Endpoints.connect(pod, veth(InterworkingModel.TCFILTER), hasty))
          .isInstanceOf(NetlinkException.Timeout.class);
    } finally {
      gaveUp.countDown();
    }
    assertThat(held.get(30, TimeUnit.SECONDS)).isTrue();
    // The set-up ran after all, found nobody waiting, and undid itself, all on the namespace's
    // thread: wait for that thread to get past it (ip reads the namespace from outside).
    pod.run(ctx -> null);
    assertThat(cni.podState()).isEqualTo(before);
  }
}
