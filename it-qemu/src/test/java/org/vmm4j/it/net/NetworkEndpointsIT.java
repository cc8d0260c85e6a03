package org.vmm4j.it.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DeviceKind;
import org.vmm4j.core.api.HotplugException;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.NetAttachRequest;
import org.vmm4j.core.internal.vm.Dirs;
import org.vmm4j.network.Address;
import org.vmm4j.network.InterworkingModel;
import org.vmm4j.network.Link;
import org.vmm4j.network.LinkSpec;
import org.vmm4j.network.MacAddress;
import org.vmm4j.network.NetNs;
import org.vmm4j.network.Netlink;
import org.vmm4j.persist.Bridge;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.qmp.DeviceAdd;
import org.vmm4j.testguest.AgentClient;
import org.vmm4j.testguest.GuestNetInterface;
import org.vmm4j.testing.network.CniFixture;

/**
 * One q35 guest (TCG, a pci-bridge and a root port) through several network steps, with a veth set
 * up in a namespace the way a CNI plugin would ({@link CniFixture}: pod {@code eth0} with {@code
 * 10.88.0.5/16}, MAC, MTU and default route; its peer with {@code 10.88.0.1} in another namespace):
 * attached at launch ({@code --netns}), detached by a second process from the persisted state, a
 * hotplug that fails halfway, hot-plugged with the macvtap model and detached, hot-plugged with
 * tcfilter and left for the stop to tear down. Each time the guest sees the veth's MAC at the PCI
 * path derived from {@code Bridges[].DeviceAddr}, takes the pod address and pings the peer; after
 * each detach the pod namespace is exactly as before (links, addresses, routes, qdiscs, filters).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkEndpointsIT {
  static final String ID = "net-it";
  static final Duration SEEN = Duration.ofSeconds(30);

  Path root;
  FsStore store;
  CniFixture cni;
  CniFixture.State before;
  Sandbox sandbox;
  AgentClient agent;

  @BeforeAll
  void boot() throws Exception {
    assumeTrue(CniFixture.unavailable().isEmpty(), CniFixture.unavailable().orElse(""));
    cni = new CniFixture("it");
    before = cni.settledPodState();
    root = Files.createTempDirectory("vmm4j-net");
    store = new FsStore(root);
    HypervisorConfig config =
        NetFixture.config().editKata(k -> k.defaultBridges(1).pcieRootPort(1));
    sandbox =
        Sandbox.start(store, NetFixture.spec(ID, config).withNetNsPath(cni.podPath().toString()));
    agent = NetFixture.agent(sandbox.paths().consoleSocket());
  }

  @AfterAll
  void cleanUp() throws Exception {
    if (agent != null) {
      agent.close();
    }
    if (sandbox != null && store.exists(ID)) {
      sandbox.delete();
    }
    if (cni != null) {
      cni.close();
    }
    if (root != null) {
      Dirs.deleteTree(root);
    }
  }

  @Test
  @Order(1)
  void theLaunchAttachedTheVethBeforeTheGuestBooted() {
    List<Device> eps = sandbox.network().endpoints();
    assertThat(eps).hasSize(1);
    Device e = eps.get(0);
    assertThat(e.id()).isEqualTo("eth0");
    assertThat(e.kind()).isEqualTo(DeviceKind.NETWORK);
    assertThat(e.details())
        .containsEntry("type", "virtual")
        .containsEntry("model", "tcfilter")
        .containsEntry("mac", CniFixture.POD_MAC);
    SandboxState st = store.load(ID).sandbox();
    assertThat(st.network().netNsPath()).isEqualTo(cni.podPath().toString());
    assertThat(pathFromDeviceAddr(st, e.qemuId())).isEqualTo(e.pciPath().toString());
    guestUses(e);
    assertNothingNew();
  }

  /** With eth0 attached, its tap (up: a link-local address) is not an interface to attach. */
  private void assertNothingNew() {
    assertThatThrownBy(() -> sandbox.network().attach(NetAttachRequest.all()))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessageContaining("nothing new in " + cni.podPath())
        .hasMessageContaining("attached: eth0");
  }

  @Test
  @Order(2)
  void aSecondProcessDetachesItFromThePersistedState() throws Exception {
    Result r = detachInAnotherProcess("eth0");
    assertThat(r.code()).as(r.err()).isZero();
    assertRestored();
    SandboxState st = store.load(ID).sandbox();
    assertThat(st.network().endpoints()).isNull();
    assertThat(st.hypervisorState().bridges())
        .allSatisfy(b -> assertThat(b.deviceAddr()).isEmpty());
    await().atMost(SEEN).until(() -> guestNic(CniFixture.POD_MAC).isEmpty());
  }

  @Test
  @Order(3)
  void aHotplugThatFailsHalfwayRollsBack() {
    // a device vmm4j does not know sits in the slot its topology hands out next
    sandbox
        .qmp()
        .call(
            DeviceAdd.of("virtio-rng-pci", "blocker", Map.of("bus", "pci-bridge-0", "addr", "01")));
    try {
      SandboxState was = store.load(ID).sandbox();
      assertThatThrownBy(() -> sandbox.network().attach(NetAttachRequest.all()))
          .isInstanceOf(HotplugException.class)
          .hasMessageContaining("PCI: slot 1 function 0 not available for virtio-net-pci")
          .hasMessageEndingWith(
              "rolled back: release slot 02/01 (pci-bridge-0), netdev_del br0_kata, restore the"
                  + " host side of eth0");
      assertRestored();
      assertThat(store.load(ID).sandbox()).isEqualTo(was);
    } finally {
      sandbox.qmp().deviceDel("blocker");
    }
  }

  @Test
  @Order(4)
  void aSecondInterfaceThatFailsTakesTheFirstBackOut() {
    // a second CNI interface, eth1, whose device will find its slot (02/02) taken
    try (NetNs pod = NetNs.open(cni.podName());
        NetNs peer = NetNs.open(cni.peerName())) {
      pod.run(
          ctx -> {
            Netlink nl = ctx.netlink();
            nl.links().create(new LinkSpec.Veth("eth1", "vethpeer1", peer));
            Link eth1 = nl.links().get("eth1");
            nl.addresses().add(Address.of(eth1.index(), "10.89.0.5/16"));
            nl.links().setUp(eth1.index());
            return null;
          });
    }
    CniFixture.State withEth1 = cni.settledPodState();
    sandbox
        .qmp()
        .call(
            DeviceAdd.of(
                "virtio-rng-pci", "blocker2", Map.of("bus", "pci-bridge-0", "addr", "02")));
    try {
      SandboxState was = store.load(ID).sandbox();
      assertThatThrownBy(() -> sandbox.network().attach(NetAttachRequest.all()))
          .isInstanceOf(HotplugException.class)
          .hasMessageContaining("hotplug net eth1")
          .hasMessageContaining("slot 2 function 0 not available");
      assertThat(cni.settledPodState()).isEqualTo(withEth1);
      assertThat(store.load(ID).sandbox()).isEqualTo(was);
      await().atMost(SEEN).until(() -> guestNic(CniFixture.POD_MAC).isEmpty());
    } finally {
      sandbox.qmp().deviceDel("blocker2");
      try (NetNs pod = NetNs.open(cni.podName())) {
        pod.run(
            ctx -> {
              ctx.netlink().links().delete("eth1");
              return null;
            });
      }
    }
    assertRestored();
  }

  @Test
  @Order(5)
  void hotplugWithTheMacvtapModelThenDetach() {
    assertThatThrownBy(
            () ->
                sandbox
                    .network()
                    .attach(NetAttachRequest.all().withNetns(cni.peerPath().toString())))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessageContaining("the sandbox's network namespace is " + cni.podPath());
    long t0 = System.nanoTime();
    List<Device> eps =
        sandbox.network().attach(NetAttachRequest.all().withModel(InterworkingModel.MACVTAP));
    long attached = System.nanoTime();
    assertThat(eps).hasSize(1);
    Device e = eps.get(0);
    assertThat(e.details()).containsEntry("model", "macvtap").containsEntry("queues", "2");
    assertThat(pathFromDeviceAddr(store.load(ID).sandbox(), e.qemuId()))
        .isEqualTo(e.pciPath().toString());
    guestUses(e);
    assertNothingNew();
    long t1 = System.nanoTime();
    sandbox.network().detach("eth0");
    long detached = System.nanoTime();
    // informative only (never asserted): scan + host set-up + QMP + save, and the unplug
    System.err.printf(
        "macvtap endpoint: attach %d ms, detach (device_del with the guest) %d ms%n",
        (attached - t0) / 1_000_000, (detached - t1) / 1_000_000);
    assertRestored();
    await().atMost(SEEN).until(() -> guestNic(mac(e)).isEmpty());
  }

  @Test
  @Order(6)
  void vhostUserNeedsSharedGuestMemory() throws Exception {
    Path socket = Files.createFile(root.resolve("vhu.sock"));
    assertThatThrownBy(
            () ->
                sandbox
                    .network()
                    .attachVhostUser(socket, Optional.of(MacAddress.parse("02:00:00:00:00:01"))))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessageContaining("vhost-user needs guest memory shared");
    assertThat(store.load(ID).sandbox().network().endpoints()).isNull();
  }

  @Test
  @Order(7)
  void hotplugWithTcfilterThenTheStopGivesTheNamespaceBack() {
    List<Device> eps =
        sandbox
            .network()
            .attach(
                NetAttachRequest.all()
                    .withNetns(cni.podName())
                    .withInterface("eth0")
                    .withModel(InterworkingModel.TCFILTER));
    guestUses(eps.get(0));
    assertThat(cni.settledPodState()).isNotEqualTo(before);
    sandbox.stop();
    assertRestored();
    SandboxState st = store.load(ID).sandbox();
    assertThat(st.state()).isEqualTo("stopped");
    assertThat(st.network().endpoints()).isNull();
  }

  /** The pod namespace is as before: the same links, addresses, routes, qdiscs and filters. */
  private void assertRestored() {
    assertThat(cni.settledPodState()).isEqualTo(before);
  }

  /** The guest sees the MAC at the recorded PCI path, takes the pod address, pings the peer. */
  private void guestUses(Device e) {
    await()
        .atMost(SEEN)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> guestNic(mac(e)).isPresent());
    GuestNetInterface nic = guestNic(mac(e)).get();
    assertThat(nic.pciPath()).hasValue(e.pciPath().toString());
    agent.ifaddr(nic.name(), CniFixture.POD_IP + "/16");
    assertThat(agent.pingHost(CniFixture.PEER_IP, 2)).as("guest pings the peer").isTrue();
  }

  /** The guest MAC an endpoint's details give. */
  private static String mac(Device e) {
    return e.details().get("mac");
  }

  private Optional<GuestNetInterface> guestNic(String mac) {
    return agent.netInterfaces().stream().filter(n -> n.mac().equals(mac)).findFirst();
  }

  /**
   * The path of the slot the device holds in {@code Bridges[].DeviceAddr} (where the PCI paths of
   * endpoints whose schema type has no PCIPath field are kept).
   */
  static String pathFromDeviceAddr(SandboxState st, String deviceId) {
    for (Bridge b : st.hypervisorState().bridges()) {
      for (var entry : b.deviceAddr().entrySet()) {
        if (entry.getValue().equals(deviceId)) {
          String slot =
              b.type().equals("pcie-root-port") ? "00" : String.format("%02x", entry.getKey());
          return String.format("%02x/%s", b.addr(), slot);
        }
      }
    }
    return "";
  }

  record Result(int code, String out, String err) {}

  private Result detachInAnotherProcess(String endpoint) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(DetachEndpoint.class.getName());
    cmd.addAll(List.of(root.toString(), ID, endpoint));
    Path out = Files.createTempFile(root, "out", ".txt");
    Path err = Files.createTempFile(root, "err", ".txt");
    Process p =
        new ProcessBuilder(cmd)
            .redirectInput(new File("/dev/null"))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("detach ended").isTrue();
    return new Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
