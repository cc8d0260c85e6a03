package org.vmm4j.core.internal.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.LaunchException;
import org.vmm4j.core.api.MachineType;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.core.api.SandboxPaths;
import org.vmm4j.core.api.Vmm4jException;
import org.vmm4j.core.internal.hotplug.Deadlines;
import org.vmm4j.core.internal.hotplug.DeviceTable;
import org.vmm4j.core.internal.hotplug.DeviceUnplugs;
import org.vmm4j.core.internal.hotplug.LaunchNetwork;
import org.vmm4j.core.internal.hotplug.NetworkPlugs;
import org.vmm4j.core.internal.hotplug.QemuFacts;
import org.vmm4j.core.internal.hotplug.SandboxModel;
import org.vmm4j.core.internal.hotplug.Tx;
import org.vmm4j.core.internal.qemu.AgentChannel;
import org.vmm4j.core.internal.qemu.GuestMemory;
import org.vmm4j.core.internal.qemu.QemuCommandLine;
import org.vmm4j.core.internal.vm.SandboxStates;
import org.vmm4j.devices.PciBridge;
import org.vmm4j.network.Address;
import org.vmm4j.network.ConnectOptions;
import org.vmm4j.network.Link;
import org.vmm4j.network.LinkSpec;
import org.vmm4j.network.NetNs;
import org.vmm4j.network.TapDevice;
import org.vmm4j.persist.PersistCodec;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.persist.StoredSandbox;
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

  static final Deadlines DEADLINES = Deadlines.defaults().withDeviceDeleted(Duration.ofMillis(300));

  /**
   * What the launcher does while QEMU waits in {@code -S}: the endpoints attached in a transaction
   * on the model of the state being started.
   */
  private LaunchNetwork launch(long model) {
    QemuCommandLine cl = commandLine(vmDir);
    RuntimeConfig rc = config(model);
    String ns = cni.podPath().toString();
    SandboxState started =
        SandboxStates.started("sb1", rc, cl, java.util.UUID.randomUUID(), 1, 0, 0, ns);
    SandboxModel m = SandboxModel.of(new StoredSandbox(started, Map.of()), "", false);
    Tx tx = new Tx(m, qmp, () -> QemuFacts.launched(cl, rc.hypervisor()), DEADLINES, vmDir);
    return LaunchNetwork.attach(tx, rc, ns);
  }

  /** A transaction of a new controller that has nothing but {@code st} (and the kept files). */
  private Tx restored(SandboxState st) {
    SandboxModel m = SandboxModel.of(new StoredSandbox(st, Map.of()), "", false);
    QemuFacts facts = QemuFacts.launched(commandLine(vmDir), config(0).hypervisor());
    return new Tx(m, qmp, () -> facts, DEADLINES, vmDir);
  }

  /** {@code st} through the JSON a new controller reads. */
  private static SandboxState reread(SandboxState st) {
    return PersistCodec.decodeSandbox(PersistCodec.encode(st), "state");
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
    SandboxState st = n.state();
    assertThat(st.network().netNsPath()).isEqualTo(cni.podPath().toString());
    assertThat(st.network().endpoints()).hasSize(1);
    assertThat(st.network().endpoints().get(0).type()).isEqualTo("virtual");
    assertThat(st.hypervisorState().bridges().get(0).deviceAddr()).containsEntry(1L, a.deviceId());
    n.rollback();
    assertThat(cni.settledPodState()).isEqualTo(before);
  }

  /**
   * A launch whose NIC QEMU refuses gives the namespace back; QEMU itself is killed by the launcher
   * (a launch's rollback is on the host only), so its netdev is not deleted over QMP: the new
   * design undoes a failed launch on the host and leaves QEMU's side to the kill.
   */
  @Test
  void aRefusedDeviceLeavesTheNamespaceAsItWas() throws Exception {
    fake.on("device_add").error("GenericError", "PCI: slot 1 function 0 not available");
    assertThatThrownBy(() -> launch(RuntimeConfig.MODEL_MACVTAP))
        .isInstanceOf(LaunchException.class)
        .hasMessageStartingWith("network " + cni.podPath() + ": ")
        .hasMessageContaining("slot 1 function 0 not available")
        .satisfies(
            e -> assertThat(((Vmm4jException) e).fault()).isEqualTo(Vmm4jException.Fault.QEMU));
    assertThat(sent()).endsWith("netdev_add", "device_add");
    assertThat(cni.settledPodState()).isEqualTo(before);
    try (var files = Files.list(vmDir)) {
      assertThat(files).as("no restore file left").isEmpty();
    }
  }

  /**
   * A hot attach (a transaction on a running sandbox) whose NIC QEMU refuses: the transaction's
   * rollback deletes the netdev in QEMU and gives the namespace back on the host, although the
   * attach let go of its namespace handle before the rollback runs.
   */
  @Test
  void aRefusedHotAttachIsRolledBackInQemuAndOnTheHost() throws Exception {
    for (long model : new long[] {RuntimeConfig.MODEL_MACVTAP, RuntimeConfig.MODEL_TCFILTER}) {
      fake.on("device_add").error("GenericError", "PCI: slot 1 function 0 not available");
      SandboxState running = reread(launchWithoutInterfaces(model));
      Tx tx = restored(running);
      RuntimeException e =
          catchThrowableOfType(
              () ->
                  NetworkPlugs.attach(
                      tx, Optional.empty(), Optional.empty(), Optional.empty(), options()),
              RuntimeException.class);
      Vmm4jException thrown = tx.rollback(e);
      assertThat(thrown)
          .as("model " + model)
          .hasMessageContaining("slot 1 function 0 not available")
          .hasMessageContaining("rolled back: ")
          .hasMessageContaining("restore the host side of eth0")
          .hasMessageNotContaining("rollback stopped");
      assertThat(thrown.leftInPlace()).isEmpty();
      assertThat(sent()).endsWith("device_add", "netdev_del");
      assertThat(tx.model().changed()).isFalse();
      assertThat(cni.settledPodState()).as("model " + model).isEqualTo(before);
      try (var files = Files.list(vmDir)) {
        assertThat(files).as("no restore file left").isEmpty();
      }
    }
  }

  /** The state of a sandbox started in the namespace before its interfaces were there. */
  private SandboxState launchWithoutInterfaces(long model) {
    QemuCommandLine cl = commandLine(vmDir);
    return SandboxStates.started(
        "sb1", config(model), cl, java.util.UUID.randomUUID(), 1, 0, 0, cni.podPath().toString());
  }

  private static ConnectOptions options() {
    return ConnectOptions.of(2);
  }

  @Test
  void aControllerWithOnlyTheStateDetachesExactlyInBothModels() {
    for (long model : new long[] {RuntimeConfig.MODEL_MACVTAP, RuntimeConfig.MODEL_TCFILTER}) {
      LaunchNetwork n = launch(model);
      // a new controller: the state (through its JSON), the kept files
      Tx tx = restored(reread(n.state()));
      RecordedEndpoint r = DeviceTable.endpoints(tx.model()).get(0);
      assertThat(r.name()).isEqualTo("eth0");
      assertThat(r.pciPath()).hasToString("02/01");
      Device gone = DeviceUnplugs.unplug(tx, "eth0");
      assertThat(gone.pciPath()).hasToString("02/01");
      assertThat(sent()).endsWith("device_del", "netdev_del");
      assertThat(tx.model().topology().find(r.deviceId())).isEmpty();
      assertThat(tx.model().endpoints()).isEmpty();
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
      SandboxState st = reread(n.state());
      assertThat(st.network().endpoints().get(1).type()).isEqualTo("tuntap");
      List<RecordedEndpoint> r = DeviceTable.endpoints(restored(st).model());
      RecordedEndpoint tuntap = r.get(1);
      assertThat(tuntap.deviceId()).isEqualTo(n.attached().get(1).deviceId());
      assertThat(tuntap.netdevId()).isEqualTo("br1_kata");
      assertThat(tuntap.pciPath()).hasToString("02/02");
      for (RecordedEndpoint e : List.of(tuntap, r.get(0))) {
        Tx tx = restored(st); // one transaction each, on the state the last one saved
        DeviceUnplugs.unplug(tx, e.name());
        st = reread(tx.model().toStored().sandbox());
      }
      assertThat(st.network().endpoints()).isNull();
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
    SandboxState st = reread(n.state());
    assertThat(st.network().endpoints().get(1).macvtap().pciPath()).hasToString("02/02");
    List<RecordedEndpoint> r = DeviceTable.endpoints(restored(st).model());
    assertThat(r.get(1).name()).isEqualTo("mvcni0");
    assertThat(r.get(1).netdevId()).isEqualTo("mvcni0");
    for (RecordedEndpoint e : r) {
      Tx tx = restored(st);
      DeviceUnplugs.unplug(tx, e.name());
      st = reread(tx.model().toStored().sandbox());
    }
    assertThat(fake.received("netdev_del")).extracting(c -> c.arg("id")).contains("mvcni0");
    assertThat(cni.settledPodState()).isEqualTo(withMacvtap);
  }

  @Test
  void theTeardownAtStopRestoresTheNamespaceAndForgetsTheEndpoints() {
    LaunchNetwork n = launch(RuntimeConfig.MODEL_MACVTAP);
    SandboxState st = n.state();
    assertThat(Files.exists(vmDir.resolve("net-eth0.json"))).isTrue();
    SandboxState stopped = NetworkTeardown.afterStop(st, vmDir);
    assertThat(cni.settledPodState()).isEqualTo(before);
    assertThat(stopped.network().endpoints()).isNull();
    assertThat(stopped.network().netNsPath()).isEqualTo(st.network().netNsPath());
    assertThat(Files.exists(vmDir.resolve("net-eth0.json"))).isFalse();
  }
}
