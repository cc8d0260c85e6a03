package org.vmm4j.it.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.vmm4j.core.ConfigLoader;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.VfioSpec;
import org.vmm4j.core.internal.vm.Dirs;
import org.vmm4j.core.internal.vm.ProcStat;
import org.vmm4j.persist.DeviceState;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.PersistCodec;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.testguest.AgentClient;
import org.vmm4j.testguest.GuestBlockDevice;
import org.vmm4j.testguest.GuestCpus;
import org.vmm4j.testguest.GuestMemory;
import org.vmm4j.testguest.GuestNetInterface;
import org.vmm4j.testing.network.CniFixture;
import tools.jackson.databind.JsonNode;

/**
 * Issue 8's "done when": one q35 test guest driven only by {@code vmm4j} processes, each restoring
 * the sandbox from disk: {@code run}; hotplug and unplug of every kind this host serves
 * (virtio-blk, SCSI, vhost-user-blk from qemu-storage-daemon, vhost-user-fs from virtiofsd, memory,
 * a CNI-style veth through {@code --netns}, vCPUs with the vCPU unplug last); the clean failure
 * (exit 1, state and QEMU untouched) of the kinds it cannot serve (vfio without /dev/vfio,
 * vhost-user-scsi and vhost-user-net against a daemon that hangs up) and of CPU and PCI plugs after
 * a vCPU unplug; {@code stop} and {@code delete}. After each step the guest (its agent on the
 * console) sees what the state says, and {@link #checkpoint()} holds {@code vmm4j state ID} against
 * QEMU ({@code vmm4j qmp ID query-pci} and {@link QemuTruth} on a short QMP connection).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliEveryKindIT {
  static final String ID = "every-kind";

  Path root;
  FsStore store;
  CliOps cli;
  AgentClient agent;
  CniFixture cni;

  @BeforeAll
  void run() throws Exception {
    GuestSandbox.guest();
    root = Files.createTempDirectory(Path.of("/tmp"), "vmm4j-every");
    store = new FsStore(root.resolve("state"));
    Path config = root.resolve("sandbox.json");
    Files.writeString(config, ConfigLoader.toJson(GuestSandbox.config("q35")));
    CliOps.Result run =
        CliOps.vmm4j(store.root(), "run", "--config", config.toString(), "--id", ID);
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo(ID + "\n");
    cli = new CliOps(store.root(), ID);
    agent = GuestSandbox.agent(store.vmDir(ID).resolve("console.sock"));
  }

  @AfterAll
  void cleanUp() throws Exception {
    if (agent != null) {
      agent.close();
    }
    if (store != null && store.exists(ID)) {
      Sandbox.delete(store, ID, SandboxOptions.defaults());
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
  void aVirtioBlkDisk() throws Exception {
    Path file = image("blk.raw");
    Device d = cli.disk(file, "raw", false, "virtio-blk").get(0);
    SandboxState st = checkpoint();
    assertThat(deviceOf(st, d.id()).blockDrive().pciPath()).isEqualTo(d.pciPath());
    assertThat(qemuAt(d.pciPath().toString())).isEqualTo("virtio-drive-" + d.id());
    GuestBlockDevice g = awaitDisk("virtio-blk at " + d.pciPath(), atPath(d.pciPath().toString()));
    assertThat(agent.readBlock(g.name(), 0, 4096)).isEqualTo(head(file));
    unplugAndCheck(d.id());
    awaitNoDisk(atPath(d.pciPath().toString()));
  }

  @Test
  @Order(2)
  void aScsiDisk() throws Exception {
    Path file = image("scsi.raw");
    Device d = cli.disk(file, "raw", false, null).get(0); // BlockDeviceDriver
    String scsi = deviceOf(checkpoint(), d.id()).blockDrive().scsiAddr();
    assertThat(d.details()).containsEntry("scsi", scsi);
    Predicate<GuestBlockDevice> at =
        b -> b.hctl().filter(h -> h.endsWith(":0:" + scsi)).isPresent();
    GuestBlockDevice g = awaitDisk("SCSI disk 0:" + scsi, at);
    assertThat(agent.readBlock(g.name(), 0, 4096)).isEqualTo(head(file));
    unplugAndCheck(d.id());
    awaitNoDisk(at);
  }

  @Test
  @Order(3)
  void aVhostUserBlkDiskFromQemuStorageDaemon() throws Exception {
    assumeTrue(Files.isExecutable(Daemons.QSD), "no " + Daemons.QSD + " (qemu-system-common)");
    Path file = image("vub.raw");
    try (Daemons.Served qsd =
        Daemons.storageDaemon(file, root.resolve("vub.sock"), root.resolve("qsd.log"))) {
      Device d = cli.vhostUser("vhost-user-blk", qsd.socket, null).get(0);
      SandboxState st = checkpoint();
      assertThat(deviceOf(st, d.id()).vhostUserDev().pciPath()).isEqualTo(d.pciPath());
      assertThat(qemuAt(d.pciPath().toString())).startsWith("virtio-");
      GuestBlockDevice g = awaitDisk("vhost-user-blk", atPath(d.pciPath().toString()));
      assertThat(agent.readBlock(g.name(), 0, 4096)).isEqualTo(head(file));
      unplugAndCheck(d.id());
      awaitNoDisk(atPath(d.pciPath().toString()));
    }
  }

  @Test
  @Order(4)
  void aVhostUserFsFromVirtiofsd() throws Exception {
    assumeTrue(Files.isExecutable(Daemons.VIRTIOFSD), "no " + Daemons.VIRTIOFSD);
    Path shared = Files.createDirectories(root.resolve("shared"));
    try (Daemons.Served fsd =
        Daemons.virtiofsd(shared, root.resolve("fs.sock"), root.resolve("virtiofsd.log"))) {
      Device d = cli.vhostUser("vhost-user-fs", fsd.socket, "share").get(0);
      checkpoint();
      String path = d.pciPath().toString();
      GuestSandbox.await(
          "virtio-fs at " + path,
          () -> agent.pciDevices().stream().anyMatch(p -> p.pciPath().equals(path)),
          seen -> seen);
      unplugAndCheck(d.id());
    }
  }

  @Test
  @Order(5)
  void kindsThisHostCannotServeFailCleanly() throws Exception {
    byte[] before = PersistCodec.encode(checkpoint());
    String vfio = assertFailsCleanly("vfio", "--bdf", "0000:3f:1f.0");
    if (!Files.exists(VfioSpec.DEV_VFIO)) {
      assertThat(vfio)
          .isEqualTo(
              "vmm4j hotplug "
                  + ID
                  + " vfio 0000:3f:1f.0: no /dev/vfio: this host has no VFIO (load vfio-pci,"
                  + " enable the IOMMU)");
    }
    try (Daemons.HangUp hangUp = new Daemons.HangUp(root.resolve("hangup.sock"))) {
      assertThat(assertFailsCleanly("vhost-user-scsi", "--socket", hangUp.socket.toString()))
          .contains("device_add", "vhost_backend_init failed", "rolled back");
    }
    // no vhost-user-net backend here; one that hangs up would stall QEMU's monitor (netdev_add
    // reconnects until the backend answers): a daemon that is gone, its socket file left behind
    Path stale = root.resolve("stale.sock");
    ServerSocketChannel.open(StandardProtocolFamily.UNIX)
        .bind(UnixDomainSocketAddress.of(stale))
        .close();
    assertThat(assertFailsCleanly("vhost-user-net", "--socket", stale.toString()))
        .contains("Connection refused");
    assertThat(assertFailsCleanly("vhost-user-blk", "--socket", root.resolve("no.sock").toString()))
        .contains("no vhost-user daemon");
    assertThat(new String(PersistCodec.encode(checkpoint()))).isEqualTo(new String(before));
    assertThat(agent.ping()).isTrue();
  }

  @Test
  @Order(6)
  void memory() {
    GuestMemory before = agent.memory();
    Device m = cli.memory(128).get(0);
    assertThat(checkpoint().hypervisorState().hotpluggedMemory()).isEqualTo(128);
    GuestSandbox.await(
        "128 MiB more", agent::memory, g -> g.memTotalKib() >= before.memTotalKib() + 120 * 1024);
    assertThat(unplugAndCheck(m.id()).hypervisorState().hotpluggedMemory()).isZero();
    GuestSandbox.await(
        "the memory gone", agent::memory, g -> g.memTotalKib() == before.memTotalKib());
  }

  @Test
  @Order(7)
  void aCniVethFromANamespaceOfItsOwn() {
    assumeTrue(CniFixture.unavailable().isEmpty(), CniFixture.unavailable().orElse(""));
    cni = new CniFixture("ek");
    CniFixture.State podBefore = cni.settledPodState();
    List<Device> eps = cli.hotplug("net", "--netns", cni.podName());
    assertThat(eps).hasSize(1);
    Device e = eps.get(0);
    assertThat(e.id()).isEqualTo("eth0");
    assertThat(e.details()).containsEntry("mac", CniFixture.POD_MAC);
    SandboxState st = checkpoint();
    assertThat(st.network().netNsPath()).isEqualTo(cni.podPath().toString());
    assertThat(st.network().endpoints()).hasSize(1);
    String path = e.pciPath().toString();
    assertThat(qemuAt(path)).as("QEMU's device at %s", path).startsWith("virtio-");
    GuestNetInterface nic =
        GuestSandbox.await("the veth's MAC", () -> guestNic(), Optional::isPresent).orElseThrow();
    assertThat(nic.pciPath()).hasValue(path);
    agent.ifaddr(nic.name(), CniFixture.POD_IP + "/16");
    assertThat(agent.pingHost(CniFixture.PEER_IP, 2)).as("the guest pings the veth peer").isTrue();
    assertThat(unplugAndCheck("eth0").network().endpoints()).isNullOrEmpty();
    GuestSandbox.await("the NIC gone", () -> guestNic(), Optional::isEmpty);
    assertThat(cni.settledPodState()).as("the pod namespace as before").isEqualTo(podBefore);
  }

  @Test
  @Order(8)
  void vcpusLastThenNoCpuOrPciPlugCanCome() throws Exception {
    GuestCpus before = agent.cpus();
    List<Device> cpus = cli.cpus(2);
    assertThat(cpus).extracting(Device::id).allMatch(c -> c.startsWith("cpu-"));
    assertThat(checkpoint().hypervisorState().hotpluggedVcpus()).hasSize(2);
    GuestSandbox.await(
        "2 more vCPUs", agent::cpus, g -> g.presentCount() == before.presentCount() + 2);
    agent.onlineCpus();
    assertThat(agent.cpus().onlineCount()).isEqualTo(before.onlineCount() + 2);
    assertThat(unplugAndCheck(cpus.get(1).id()).hypervisorState().hotpluggedVcpus()).hasSize(1);
    GuestSandbox.await(
        "a vCPU gone", agent::cpus, g -> g.presentCount() == before.presentCount() + 1);
    byte[] saved = PersistCodec.encode(checkpoint());
    assertThat(assertFailsCleanly("cpu", "--count", "1"))
        .contains("a vCPU was unplugged from this QEMU process");
    assertThat(
            assertFailsCleanly(
                "block", "--file", image("late.raw").toString(), "--driver", "virtio-blk"))
        .contains("crashes on the next PCI device_add");
    assertThat(new String(PersistCodec.encode(checkpoint()))).isEqualTo(new String(saved));
    assertThat(agent.ping()).as("QEMU and the guest live on").isTrue();
  }

  @Test
  @Order(9)
  void stopThenDelete() {
    long pid = checkpoint().hypervisorState().pid();
    CliOps.Result stop = cli.run("stop", ID);
    assertThat(stop.code()).as(stop.err()).isZero();
    assertThat(ProcStat.read(pid).map(ProcStat::exited).orElse(true))
        .as("QEMU %d gone (or a zombie not reaped yet)", pid)
        .isTrue();
    assertThat(cliState().state()).isEqualTo("stopped");
    CliOps.Result delete = cli.run("delete", ID);
    assertThat(delete.code()).as(delete.err()).isZero();
    assertThat(store.exists(ID)).isFalse();
    assertThat(store.vmDir(ID)).doesNotExist();
    assertThat(cli.run("state", ID).code()).isEqualTo(1);
  }

  /** {@code vmm4j state ID} (another process) as a value. */
  SandboxState cliState() {
    CliOps.Result r = cli.run("state", ID);
    assertThat(r.code()).as(r.err()).isZero();
    return PersistCodec.decodeSandbox(r.out().getBytes(), "vmm4j state " + ID);
  }

  /** {@code vmm4j state ID} against QEMU ({@link QemuTruth}); returns the state. */
  SandboxState checkpoint() {
    SandboxState st = cliState();
    assertQemuMatches(st);
    return st;
  }

  void assertQemuMatches(SandboxState st) {
    qemu(
        q -> {
          QemuTruth.assertMatches(st, q);
          return null;
        });
  }

  /** {@code f} on a short QMP connection to the sandbox's QEMU (the tools socket when busy). */
  <T> T qemu(Function<QmpClient, T> f) {
    try (QmpClient q = Sandbox.connectQmp(store, ID, SandboxOptions.defaults())) {
      return f.apply(q);
    }
  }

  /** {@code vmm4j unplug ID DEVICE}, then {@link #checkpoint()}: the device is gone from both. */
  SandboxState unplugAndCheck(String device) {
    cli.unplug(device);
    SandboxState st = checkpoint();
    assertThat(st.devices() == null ? List.of() : st.devices())
        .noneMatch(d -> d.id().equals(device));
    return st;
  }

  /**
   * {@code vmm4j hotplug ID KIND ARGS} fails with exit 1 and one line naming the operation, and
   * leaves the state and QEMU as they were; returns the line.
   */
  String assertFailsCleanly(String kind, String... args) throws Exception {
    Path file = store.sandboxDir(ID).resolve("persist.json");
    String before = Files.readString(file);
    Set<String> chardevs = qemu(QemuTruth::chardevs);
    CliOps.Result r = cli.run(hotplugArgs(kind, args));
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("vmm4j hotplug " + ID + " " + kind).hasLineCount(1);
    assertThat(Files.readString(file)).as("persist.json after " + kind).isEqualTo(before);
    SandboxState st = store.load(ID).sandbox();
    assertQemuMatches(st);
    assertThat(qemu(QemuTruth::chardevs)).as("QEMU's chardevs after " + kind).isEqualTo(chardevs);
    return r.err().strip();
  }

  static String[] hotplugArgs(String kind, String... args) {
    List<String> all = new ArrayList<>(List.of("hotplug", ID, kind));
    all.addAll(List.of(args));
    return all.toArray(String[]::new);
  }

  static DeviceState deviceOf(SandboxState st, String deviceId) {
    return st.devices().stream().filter(d -> d.id().equals(deviceId)).findFirst().orElseThrow();
  }

  /** The qdev id {@code vmm4j qmp ID query-pci} shows at PCI path {@code path} (02/01). */
  String qemuAt(String path) {
    CliOps.Result r = cli.run("qmp", ID, "query-pci");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode devices = CliOps.JSON.readTree(r.out()).path(0).path("devices");
    String[] slots = path.split("/");
    for (int i = 0; i < slots.length; i++) {
      JsonNode here = null;
      for (JsonNode d : devices) {
        if (d.path("function").asInt() == 0
            && d.path("slot").asInt() == Integer.parseInt(slots[i], 16)) {
          here = d;
        }
      }
      if (here == null) {
        return "(nothing at " + path + ")";
      }
      if (i == slots.length - 1) {
        return here.path("qdev_id").asString();
      }
      devices = here.path("pci_bridge").path("devices");
    }
    throw new AssertionError(path);
  }

  Optional<GuestNetInterface> guestNic() {
    String mac = CniFixture.POD_MAC;
    return agent.netInterfaces().stream().filter(n -> n.mac().equals(mac)).findFirst();
  }

  Path image(String name) throws Exception {
    byte[] b = new byte[2 << 20];
    new Random(name.hashCode()).nextBytes(b);
    return Files.write(root.resolve(name), b);
  }

  static byte[] head(Path file) throws Exception {
    return java.util.Arrays.copyOf(Files.readAllBytes(file), 4096);
  }

  static Predicate<GuestBlockDevice> atPath(String path) {
    return b -> b.pciPath().filter(path::equals).isPresent();
  }

  GuestBlockDevice awaitDisk(String what, Predicate<GuestBlockDevice> which) {
    return GuestSandbox.await(
            what,
            () -> agent.blockDevices().stream().filter(which).findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  void awaitNoDisk(Predicate<GuestBlockDevice> which) {
    GuestSandbox.await(
        "the disk gone", () -> agent.blockDevices().stream().anyMatch(which), present -> !present);
  }
}
