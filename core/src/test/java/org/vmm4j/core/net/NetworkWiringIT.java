package org.vmm4j.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.Accelerator;
import org.vmm4j.core.AgentChannel;
import org.vmm4j.core.CoreException;
import org.vmm4j.core.GuestMemory;
import org.vmm4j.core.HypervisorConfig;
import org.vmm4j.core.MachineType;
import org.vmm4j.core.QemuCommandLine;
import org.vmm4j.core.RuntimeConfig;
import org.vmm4j.core.SandboxPaths;
import org.vmm4j.core.hotplug.HotplugContext;
import org.vmm4j.core.hotplug.HotplugTimeouts;
import org.vmm4j.devices.PciBridge;
import org.vmm4j.network.Address;
import org.vmm4j.network.Link;
import org.vmm4j.network.LinkSpec;
import org.vmm4j.network.NetNs;
import org.vmm4j.network.TapDevice;
import org.vmm4j.persist.Bridge;
import org.vmm4j.persist.PersistCodec;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.testing.network.CniFixture;
import org.vmm4j.testing.qmp.FakeQmpServer;

/**
 * The wiring of endpoints between a real namespace (a CNI-style veth, made and removed by the test)
 * and QEMU's stand-in: the launch attaches and records the endpoint; a failure halfway, and a
 * launch rollback, leave the namespace exactly as before; a controller with nothing but the state
 * detaches it (both models) and leaves the namespace exactly as before; so does the teardown at
 * stop. Needs root (skipped with the reason otherwise).
 */
class NetworkWiringIT {
  @TempDir Path vmDir;
  private CniFixture cni;
  private NetNs pod;
  private CniFixture.State before;
  private FakeQmpServer fake;
  private QmpClient qmp;

  @BeforeEach
  void setUp() {
    assumeTrue(CniFixture.unavailable().isEmpty(), CniFixture.unavailable().orElse(""));
    cni = new CniFixture("nw");
    pod = NetNs.open(cni.podName());
    before = cni.settledPodState();
    fake = FakeQmpServer.start().failOnUnexpectedCommands().emulateDevices();
    fake.on("getfd");
    fake.on("closefd");
    fake.on("netdev_add");
    fake.on("netdev_del");
    qmp = QmpClient.connect(fake.socketPath());
  }

  @AfterEach
  void tearDown() {
    try {
      if (qmp != null) {
        qmp.close();
      }
      if (fake != null) {
        fake.close();
      }
      if (pod != null) {
        pod.close();
      }
    } finally {
      if (cni != null) {
        cni.close();
      }
    }
  }

  static QemuCommandLine commandLine(Path vmDir) {
    SandboxPaths paths = new SandboxPaths(vmDir, vmDir.resolve("shared"));
    return new QemuCommandLine(
        List.of("qemu"),
        Accelerator.TCG,
        MachineType.Q35,
        List.of(PciBridge.pciBridge(0), PciBridge.rootPort("rp0", 3)),
        new AgentChannel.Serial(vmDir.resolve("kata.sock")),
        List.of(),
        Optional.empty(),
        Optional.of(new GuestMemory(GuestMemory.RAM, "", false, false)),
        paths,
        0);
  }

  static RuntimeConfig config(long model) {
    HypervisorConfig h = HypervisorConfig.of(HypervisorConfig.kataBuilder().numVcpus(2).build());
    RuntimeConfig d = RuntimeConfig.shimV2(h, false);
    return new RuntimeConfig(
        h,
        d.agentType(),
        d.agentLongLiveConn(),
        d.proxyType(),
        d.proxyDebug(),
        d.shimType(),
        d.stateful(),
        model,
        d.disableNewNetNs(),
        d.disableGuestSeccomp(),
        d.sandboxCgroupOnly(),
        d.enableAgentPidNs(),
        d.experimental(),
        d.netmon());
  }

  private LaunchNetwork launch(long model) {
    return LaunchNetwork.attach(
        "sb1",
        qmp,
        commandLine(vmDir),
        config(model),
        cni.podPath().toString(),
        vmDir,
        HotplugTimeouts.defaults().withDeviceDeleted(Duration.ofMillis(300)));
  }

  private List<String> sent() {
    return fake.received().stream()
        .map(c -> c.name())
        .filter(n -> !n.equals("qmp_capabilities"))
        .toList();
  }

  @Test
  void aLaunchAttachesAndRecordsTheVethThenARollbackRestoresTheNamespace() {
    LaunchNetwork n = launch(RuntimeConfig.MODEL_TCFILTER);
    assertThat(sent()).containsExactly("getfd", "getfd", "netdev_add", "device_add");
    assertThat(fake.received("netdev_add").get(0).arguments().toString())
        .isEqualTo("{\"type\":\"tap\",\"id\":\"br0_kata\",\"fds\":\"fd0:fd1\"}");
    Attachment a = n.attached().get(0);
    assertThat(fake.received("device_add").get(0).arguments().toString())
        .isEqualTo(
            "{\"driver\":\"virtio-net-pci\",\"id\":\""
                + a.deviceId()
                + "\",\"netdev\":\"br0_kata\",\"mac\":\""
                + CniFixture.POD_MAC
                + "\",\"romfile\":\"\",\"mq\":\"on\",\"vectors\":6,\"bus\":\"pci-bridge-0\","
                + "\"addr\":\"01\"}");
    assertThat(cni.settledPodState().links())
        .extracting(CniFixture.LinkState::name)
        .contains("tap0_kata");
    SandboxState st = n.applyTo(SandboxState.builder().build());
    assertThat(st.network().netNsPath()).isEqualTo(cni.podPath().toString());
    assertThat(st.network().endpoints()).hasSize(1);
    assertThat(st.network().endpoints().get(0).type()).isEqualTo("virtual");
    assertThat(st.hypervisorState().bridges().get(0).deviceAddr()).containsEntry(1L, a.deviceId());
    n.rollback();
    assertThat(cni.settledPodState()).isEqualTo(before);
  }

  @Test
  void aRefusedDeviceLeavesTheNamespaceAsItWas() throws Exception {
    fake.on("device_add").error("GenericError", "PCI: slot 1 function 0 not available");
    assertThatThrownBy(() -> launch(RuntimeConfig.MODEL_MACVTAP))
        .isInstanceOf(CoreException.class)
        .hasMessageContaining("slot 1 function 0 not available")
        .hasMessageContaining(
            "rolled back: release slot 02/01 (pci-bridge-0), netdev_del br0_kata");
    assertThat(sent()).endsWith("device_add", "netdev_del");
    assertThat(cni.settledPodState()).isEqualTo(before);
    try (var files = Files.list(vmDir)) {
      assertThat(files).as("no restore file left").isEmpty();
    }
  }

  @Test
  void aControllerWithOnlyTheStateDetachesExactlyInBothModels() {
    for (long model : new long[] {RuntimeConfig.MODEL_MACVTAP, RuntimeConfig.MODEL_TCFILTER}) {
      LaunchNetwork n = launch(model);
      SandboxState st = n.applyTo(SandboxState.builder().build());
      // a new controller: the state, the kept files, a context restored from the bridges
      HotplugContext ctx =
          HotplugContext.restored(
                  "sb1", qmp, MachineType.Q35, st.hypervisorState(), Optional.empty())
              .withTimeouts(HotplugTimeouts.defaults().withDeviceDeleted(Duration.ofMillis(300)));
      List<Bridge> bridges = st.hypervisorState().bridges();
      RecordedEndpoint r = RecordedEndpoints.read(st.network(), bridges, ctx.topology()).get(0);
      assertThat(r.name()).isEqualTo("eth0");
      assertThat(r.pciPath()).hasToString("02/01");
      assertThat(EndpointDetacher.detach(ctx, r, st.network().netNsPath(), vmDir)).isEmpty();
      assertThat(sent()).endsWith("device_del", "netdev_del");
      assertThat(ctx.topology().find(r.deviceId())).isEmpty();
      assertThat(cni.settledPodState()).as("model " + model).isEqualTo(before);
    }
  }

  @Test
  void aTuntapIsRestoredFromTheSchemaAndDetachedExactlyInBothModels() {
    pod.run(
        ctx -> {
          ctx.openTap(
                  new TapDevice.Config("tapcni0", 1, TapDevice.IFF_TAP | TapDevice.IFF_NO_PI, true))
              .close();
          Link t = ctx.netlink().links().get("tapcni0");
          ctx.netlink().addresses().add(Address.of(t.index(), "10.99.0.2/24"));
          return null;
        });
    CniFixture.State withTuntap = cni.settledPodState();
    List<String> tuntapAddresses = addresses("tapcni0");
    assertThat(tuntapAddresses).anyMatch(a -> a.startsWith("10.99.0.2/24"));
    for (long model : new long[] {RuntimeConfig.MODEL_TCFILTER, RuntimeConfig.MODEL_MACVTAP}) {
      LaunchNetwork n = launch(model);
      assertThat(n.attached()).extracting(Attachment::name).containsExactly("eth0", "tapcni0");
      // through the JSON a new controller reads
      SandboxState st =
          PersistCodec.decodeSandbox(
              PersistCodec.encode(n.applyTo(SandboxState.builder().build())), "state");
      assertThat(st.network().endpoints().get(1).type()).isEqualTo("tuntap");
      HotplugContext ctx =
          HotplugContext.restored(
                  "sb1", qmp, MachineType.Q35, st.hypervisorState(), Optional.empty())
              .withTimeouts(HotplugTimeouts.defaults().withDeviceDeleted(Duration.ofMillis(300)));
      List<RecordedEndpoint> r =
          RecordedEndpoints.read(st.network(), st.hypervisorState().bridges(), ctx.topology());
      RecordedEndpoint tuntap = r.get(1);
      assertThat(tuntap.deviceId()).isEqualTo(n.attached().get(1).deviceId());
      assertThat(tuntap.netdevId()).isEqualTo("br1_kata");
      assertThat(tuntap.pciPath()).hasToString("02/02");
      for (RecordedEndpoint e : List.of(tuntap, r.get(0))) {
        assertThat(EndpointDetacher.detach(ctx, e, st.network().netNsPath(), vmDir)).isEmpty();
      }
      assertThat(fake.received("device_del"))
          .extracting(c -> c.arg("id"))
          .endsWith(tuntap.deviceId(), r.get(0).deviceId());
      assertThat(cni.settledPodState()).as("model " + model).isEqualTo(withTuntap);
      assertThat(addresses("tapcni0")).as("model " + model).isEqualTo(tuntapAddresses);
    }
  }

  private List<String> addresses(String link) {
    return pod.run(
        ctx -> {
          int index = ctx.netlink().links().get(link).index();
          return ctx.netlink().addresses().list(index).stream()
              .map(a -> a.local() + " " + a.flags() + " " + a.scope() + " " + a.broadcast())
              .sorted()
              .toList();
        });
  }

  @Test
  void aCniMacvtapIsFoundAgainByThePciPathItsRecordKeeps() {
    pod.run(
        ctx -> {
          Link eth0 = ctx.netlink().links().get("eth0");
          ctx.netlink().links().create(new LinkSpec.Macvtap("mvcni0", eth0.index(), 4, 0, 0));
          Link m = ctx.netlink().links().get("mvcni0");
          ctx.netlink().addresses().add(Address.of(m.index(), "10.77.0.2/24"));
          return null;
        });
    CniFixture.State withMacvtap = cni.settledPodState();
    LaunchNetwork n = launch(RuntimeConfig.MODEL_TCFILTER);
    Attachment mvt = n.attached().get(1);
    assertThat(mvt.endpoint().type()).isEqualTo("macvtap");
    assertThat(mvt.deviceId()).isEqualTo("virtio-mvcni0");
    assertThat(fake.received("netdev_add").get(1).arguments().toString())
        .isEqualTo("{\"type\":\"tap\",\"id\":\"mvcni0\",\"fds\":\"fd0:fd1\"}");
    SandboxState st =
        PersistCodec.decodeSandbox(
            PersistCodec.encode(n.applyTo(SandboxState.builder().build())), "state");
    assertThat(st.network().endpoints().get(1).macvtap().pciPath()).hasToString("02/02");
    HotplugContext ctx =
        HotplugContext.restored("sb1", qmp, MachineType.Q35, st.hypervisorState(), Optional.empty())
            .withTimeouts(HotplugTimeouts.defaults().withDeviceDeleted(Duration.ofMillis(300)));
    List<RecordedEndpoint> r =
        RecordedEndpoints.read(st.network(), st.hypervisorState().bridges(), ctx.topology());
    assertThat(r.get(1).name()).isEqualTo("mvcni0");
    assertThat(r.get(1).netdevId()).isEqualTo("mvcni0");
    for (RecordedEndpoint e : r) {
      assertThat(EndpointDetacher.detach(ctx, e, st.network().netNsPath(), vmDir)).isEmpty();
    }
    assertThat(fake.received("netdev_del")).extracting(c -> c.arg("id")).contains("mvcni0");
    assertThat(cni.settledPodState()).isEqualTo(withMacvtap);
  }

  @Test
  void theTeardownAtStopRestoresTheNamespaceAndForgetsTheEndpoints() {
    LaunchNetwork n = launch(RuntimeConfig.MODEL_MACVTAP);
    SandboxState st = n.applyTo(SandboxState.builder().build());
    assertThat(Files.exists(vmDir.resolve("net-eth0.json"))).isTrue();
    SandboxState stopped = NetworkTeardown.afterStop(st, vmDir);
    assertThat(cni.settledPodState()).isEqualTo(before);
    assertThat(stopped.network().endpoints()).isNull();
    assertThat(stopped.network().netNsPath()).isEqualTo(st.network().netNsPath());
    assertThat(Files.exists(vmDir.resolve("net-eth0.json"))).isFalse();
  }
}
