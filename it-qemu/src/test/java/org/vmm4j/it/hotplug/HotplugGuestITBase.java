package org.vmm4j.it.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.SandboxDevices;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.HotplugException;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.VfioSpec;
import org.vmm4j.core.internal.vm.Dirs;
import org.vmm4j.persist.DeviceState;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.PersistCodec;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.testguest.AgentClient;
import org.vmm4j.testguest.GuestBlockDevice;
import org.vmm4j.testguest.GuestCpus;
import org.vmm4j.testguest.GuestMemory;
import org.vmm4j.testguest.GuestPciDevice;
import org.vmm4j.testing.devices.FakeSysfs;

/**
 * One guest per machine type doing every hotplug step in order; after each step the guest (asked
 * through its agent on the Kata console), QEMU and the persisted state agree ({@link QemuTruth}).
 * Subclasses say how the sandbox starts and how operations reach it (library or {@code vmm4j}
 * processes). The vCPU unplug is last: under TCG, QEMU 7.2 cannot add a vCPU after one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class HotplugGuestITBase {
  Path root;
  FsStore store;
  String id;
  AgentClient agent;

  abstract String machine();

  /** Starts the sandbox: sets {@link #root}, {@link #store}, {@link #id}. */
  abstract void startSandbox() throws Exception;

  abstract HotplugOps ops();

  /** Runs {@code f} on a QMP connection to the sandbox's QEMU. */
  abstract <T> T qemu(Function<QmpClient, T> f);

  /** Runs {@code f} on the sandbox's devices through a {@link Sandbox} object of this JVM. */
  abstract <T> T library(Function<SandboxDevices, T> f);

  @BeforeAll
  void boot() throws Exception {
    GuestSandbox.guest();
    startSandbox();
    agent = GuestSandbox.agent(store.vmDir(id).resolve("console.sock"));
  }

  @AfterAll
  void cleanUp() throws Exception {
    if (agent != null) {
      agent.close();
    }
    if (store != null && store.exists(id)) {
      deleteSandbox();
    }
    if (root != null) {
      Dirs.deleteTree(root);
    }
  }

  /** Stops and deletes the sandbox. */
  void deleteSandbox() {
    Sandbox.delete(store, id, SandboxOptions.defaults());
  }

  SandboxState state() {
    return store.load(id).sandbox();
  }

  void assertQemuMatchesState() {
    SandboxState st = state();
    qemu(
        q -> {
          QemuTruth.assertMatches(st, q);
          return null;
        });
  }

  /** A file of {@code mib} MiB starting with 64 KiB of random bytes (seeded by its name). */
  Path image(String name, int mib) throws Exception {
    byte[] b = new byte[mib << 20];
    byte[] head = new byte[65536];
    new Random(name.hashCode()).nextBytes(head);
    System.arraycopy(head, 0, b, 0, head.length);
    return Files.write(root.resolve(name), b);
  }

  static byte[] head(Path file, int n) throws Exception {
    byte[] all = Files.readAllBytes(file);
    return java.util.Arrays.copyOf(all, n);
  }

  GuestBlockDevice awaitDisk(String what, Predicate<GuestBlockDevice> which) {
    return GuestSandbox.await(
            what,
            () -> agent.blockDevices().stream().filter(which).findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  void awaitNoDisk(String what, Predicate<GuestBlockDevice> which) {
    GuestSandbox.await(
        what + " gone", () -> agent.blockDevices().stream().anyMatch(which), present -> !present);
  }

  static Predicate<GuestBlockDevice> atPath(Device d) {
    String path = d.pciPath().toString();
    return b -> b.pciPath().filter(path::equals).isPresent();
  }

  DeviceState deviceState(String deviceId) {
    return state().devices().stream()
        .filter(d -> d.id().equals(deviceId))
        .findFirst()
        .orElseThrow();
  }

  @Test
  @Order(1)
  void aVirtioBlkDiskIsAtItsRecordedPciPathReadsAndUnplugs() throws Exception {
    Path file = image("blk.raw", 4);
    Device d = ops().disk(file, "raw", false, "virtio-blk").get(0);
    assertThat(deviceState(d.id()).blockDrive().pciPath()).isEqualTo(d.pciPath());
    assertQemuMatchesState();
    GuestBlockDevice g = awaitDisk("the disk at " + d.pciPath(), atPath(d));
    assertThat(g.sizeBytes()).isEqualTo(4L << 20);
    assertThat(g.serial()).contains(d.id()); // the serial is the DeviceState ID (drive-<ID>)
    assertThat(agent.readBlock(g.name(), 0, 4096)).isEqualTo(head(file, 4096));
    ops().unplug(d.id());
    assertThat(state().devices()).isNullOrEmpty();
    assertQemuMatchesState();
    awaitNoDisk("the disk", atPath(d));
  }

  @Test
  @Order(2)
  void aReadOnlyQcow2DiskReadsWhatTheImageHolds() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-img")), "no qemu-img (qemu-utils)");
    Path raw = image("ro.raw", 2);
    Path qcow2 = root.resolve("ro.qcow2");
    Process p =
        new ProcessBuilder(
                "qemu-img", "convert", "-f", "raw", "-O", "qcow2", raw.toString(), qcow2.toString())
            .inheritIO()
            .start();
    assertThat(p.waitFor()).isZero();
    Device d = ops().disk(qcow2, "qcow2", true, "virtio-blk").get(0);
    assertThat(d.details()).containsEntry("format", "qcow2").containsEntry("readonly", "true");
    assertQemuMatchesState();
    GuestBlockDevice g = awaitDisk("the qcow2 disk", atPath(d));
    assertThat(agent.check("sh cat /sys/block/" + g.name() + "/ro").text().strip()).isEqualTo("1");
    assertThat(agent.readBlock(g.name(), 0, 4096)).isEqualTo(head(raw, 4096));
    ops().unplug(d.id());
    assertQemuMatchesState();
    awaitNoDisk("the qcow2 disk", atPath(d));
  }

  @Test
  @Order(3)
  void aScsiDiskIsAtItsRecordedIdAndLun() throws Exception {
    Path file = image("scsi.raw", 2);
    Device d = ops().disk(file, "raw", false, null).get(0); // BlockDeviceDriver: scsi
    String scsi = deviceState(d.id()).blockDrive().scsiAddr();
    assertThat(d.details()).containsEntry("scsi", scsi);
    assertThat(d.pciPath().isNil()).isTrue();
    assertQemuMatchesState();
    Predicate<GuestBlockDevice> at =
        b -> b.hctl().filter(h -> h.endsWith(":0:" + scsi)).isPresent();
    GuestBlockDevice g = awaitDisk("SCSI disk 0:" + scsi, at);
    assertThat(agent.readBlock(g.name(), 0, 4096)).isEqualTo(head(file, 4096));
    ops().unplug(d.id());
    assertQemuMatchesState();
    awaitNoDisk("the SCSI disk", at);
  }

  @Test
  @Order(4)
  void aVhostUserBlkDiskServedByQemuStorageDaemonReads() throws Exception {
    assumeTrue(Files.isExecutable(Daemons.QSD), "no " + Daemons.QSD + " (qemu-system-common)");
    Path file = image("vub.raw", 2);
    try (Daemons.Served qsd =
        Daemons.storageDaemon(file, root.resolve("vub.sock"), root.resolve("qsd.log"))) {
      Device d = ops().vhostUser("vhost-user-blk", qsd.socket, null).get(0);
      assertThat(deviceState(d.id()).vhostUserDev().pciPath()).isEqualTo(d.pciPath());
      assertQemuMatchesState();
      GuestBlockDevice g = awaitDisk("the vhost-user-blk disk", atPath(d));
      assertThat(agent.readBlock(g.name(), 0, 4096)).isEqualTo(head(file, 4096));
      ops().unplug(d.id());
      assertQemuMatchesState();
      awaitNoDisk("the vhost-user-blk disk", atPath(d));
    }
  }

  @Test
  @Order(5)
  void aVhostUserFsServedByVirtiofsdIsAtItsPciPath() throws Exception {
    assumeTrue(Files.isExecutable(Daemons.VIRTIOFSD), "no " + Daemons.VIRTIOFSD);
    Path shared = Files.createDirectories(root.resolve("shared-fs"));
    try (Daemons.Served fsd =
        Daemons.virtiofsd(shared, root.resolve("fs.sock"), root.resolve("virtiofsd.log"))) {
      Device d = ops().vhostUser("vhost-user-fs", fsd.socket, "hostshare").get(0);
      assertThat(d.details()).containsEntry("tag", "hostshare");
      assertQemuMatchesState();
      String path = d.pciPath().toString();
      GuestPciDevice g =
          GuestSandbox.await(
                  "virtio-fs at " + path,
                  () ->
                      agent.pciDevices().stream().filter(x -> x.pciPath().equals(path)).findFirst(),
                  Optional::isPresent)
              .orElseThrow();
      assertThat(g.vendor() + ":" + g.device()).isEqualTo("0x1af4:0x105a"); // virtio-fs
      ops().unplug(d.id());
      assertQemuMatchesState();
    }
  }

  @Test
  @Order(6)
  void kindsWithoutABackendFailAndLeaveNothingBehind() throws Exception {
    byte[] before = PersistCodec.encode(state());
    var chardevs = qemu(QemuTruth::chardevs);
    try (Daemons.HangUp scsi = new Daemons.HangUp(root.resolve("scsi.sock"))) {
      assertThatThrownBy(() -> ops().vhostUser("vhost-user-scsi", scsi.socket, null))
          .isInstanceOf(HotplugOps.OpFailed.class)
          .hasMessageStartingWith("exit 1: ")
          .hasMessageContaining("device_add")
          .hasMessageContaining("rolled back");
    }
    Path notSocket = Files.writeString(root.resolve("not-a-socket"), "");
    assertThatThrownBy(() -> ops().vhostUser("vhost-user-fs", notSocket, "t"))
        .isInstanceOf(HotplugOps.OpFailed.class)
        .hasMessageContaining("is not a unix socket");
    FakeSysfs sysfs =
        new FakeSysfs(root.resolve("sysfs")).pci("0000:3f:1f.0", 77, true, "0x020000", "vfio-pci");
    assertThatThrownBy(
            () -> library(d -> d.plugVfio(new VfioSpec("0000:3f:1f.0", sysfs.root(), false))))
        .isInstanceOf(HotplugException.class)
        .hasMessageContaining("rolled back");
    assertThat(new String(PersistCodec.encode(state()))).isEqualTo(new String(before));
    assertThat(qemu(QemuTruth::chardevs)).isEqualTo(chardevs);
    assertQemuMatchesState();
  }

  @Test
  @Order(7)
  void memoryComesOnlineMovableAndGoes() {
    GuestMemory before = agent.memory();
    Device m = ops().memory(256).get(0);
    assertThat(state().hypervisorState().hotpluggedMemory()).isEqualTo(256);
    assertQemuMatchesState();
    GuestMemory in =
        GuestSandbox.await(
            "256 MiB more",
            agent::memory,
            g -> g.memTotalKib() >= before.memTotalKib() + 250 * 1024);
    assertThat(in.blocksOffline()).isZero();
    ops().unplug(m.id());
    assertThat(state().hypervisorState().hotpluggedMemory()).isZero();
    assertQemuMatchesState();
    GuestSandbox.await(
        "the memory gone", agent::memory, g -> g.memTotalKib() == before.memTotalKib());
  }

  @Test
  @Order(20)
  void vcpusComeAndTheLastStepUnplugsOneThenNoMoreCanComeUnderTcg() {
    GuestCpus before = agent.cpus();
    List<Device> cpus = ops().cpus(2);
    assertThat(cpus).hasSize(2).allMatch(c -> c.id().startsWith("cpu-"));
    assertQemuMatchesState();
    GuestSandbox.await(
        "2 more vCPUs", agent::cpus, g -> g.presentCount() == before.presentCount() + 2);
    agent.onlineCpus();
    assertThat(agent.cpus().onlineCount()).isEqualTo(before.onlineCount() + 2);
    String last = cpus.get(1).id();
    ops().unplug(last);
    assertThat(state().hypervisorState().hotpluggedVcpus()).hasSize(1);
    assertQemuMatchesState();
    GuestSandbox.await(
        "a vCPU gone", agent::cpus, g -> g.presentCount() == before.presentCount() + 1);
    byte[] saved = PersistCodec.encode(state());
    assertThatThrownBy(() -> ops().cpus(1))
        .isInstanceOf(HotplugOps.OpFailed.class)
        .hasMessageContaining("a vCPU was unplugged from this QEMU process");
    assertThatThrownBy(() -> library(d -> d.addVcpus(1)))
        .hasMessageContaining("a vCPU was unplugged from this QEMU process");
    assertThat(new String(PersistCodec.encode(state()))).isEqualTo(new String(saved));
    assertThat(agent.ping()).as("QEMU and the guest live on").isTrue();
  }
}
