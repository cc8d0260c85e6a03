package org.vmm4j.core.internal.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.vmm4j.core.AssetConfigs.initrdConfig;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.BlockDriver;
import org.vmm4j.core.api.DeviceStillPresentException;
import org.vmm4j.core.api.HotplugException;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.devices.Attachment;
import org.vmm4j.devices.HostDevice;
import org.vmm4j.devices.Placement;
import org.vmm4j.devices.VfioDeviceType;
import org.vmm4j.devices.VfioGroup;
import org.vmm4j.devices.VfioHostDevice;
import org.vmm4j.persist.BlockDrive;
import org.vmm4j.persist.HypervisorState;
import org.vmm4j.persist.PciPath;
import org.vmm4j.persist.VhostUserDeviceAttrs;
import org.vmm4j.qmp.BlockNodeInfo;
import org.vmm4j.qmp.CpuInstanceProperties;
import org.vmm4j.qmp.Execute;
import org.vmm4j.qmp.HotpluggableCpu;
import org.vmm4j.qmp.MemoryDeviceInfo;
import org.vmm4j.qmp.QomGet;
import org.vmm4j.qmp.QomList;
import org.vmm4j.qmp.QomProperty;
import org.vmm4j.qmp.QueryCpusFast;
import org.vmm4j.qmp.QueryHotpluggableCpus;
import org.vmm4j.qmp.QueryMemoryDevices;
import org.vmm4j.qmp.QueryNamedBlockNodes;
import org.vmm4j.testing.qemu.TestAssets;
import tools.jackson.databind.JsonNode;

/**
 * The flows in transactions against a real QEMU 7.2 started from core's own command line, with
 * {@code -S} and no guest, its state in a real store and QEMU's facts read from QEMU: what can be
 * checked without a guest (native PCIe hotplug on q35 root ports lets a never-powered slot unplug
 * at once). QEMU is asked what is true after every step, and the state what was saved.
 */
class HotplugQemuIT {
  static final Deadlines DEADLINES =
      Deadlines.defaults()
          .withCommand(Duration.ofSeconds(15))
          .withDeviceDeleted(Duration.ofSeconds(10));

  Path dir;
  TestAssets assets;
  Path disk;

  @BeforeEach
  void setUp() throws IOException {
    assumeTrue(SandboxQemu.available(), SandboxQemu.BINARY + " not installed");
    dir = Files.createTempDirectory(Path.of("/tmp"), "vmm4j-hp");
    assets = TestAssets.create(dir);
    disk = dir.resolve("disk.raw");
    try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
      f.setLength(1 << 20);
    }
  }

  @AfterEach
  void cleanUp() throws IOException {
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
      }
    }
  }

  private HypervisorConfig q35() {
    return initrdConfig(assets)
        .editKata(
            k ->
                k.hypervisorMachineType("q35")
                    .pcieRootPort(4)
                    .blockDeviceDriver("virtio-blk")
                    .numVcpus(1)
                    .defaultMaxVcpus(4)
                    .memorySize(256)
                    .memSlots(4))
        .editLive(l -> l.nativePcieHotplug(true).accelerator(Accelerator.TCG));
  }

  private static <T> T run(SandboxQemu q, Function<Tx, T> work) {
    return q.run(DEADLINES, work);
  }

  /** Plugs the disk and records it in {@code Devices}, in one transaction. */
  private static BlockDrive plugged(SandboxQemu q, BlockRequest r) {
    return run(
        q,
        tx -> {
          BlockDrive d = BlockPlug.plug(tx, r);
          HotplugHarness.recordDisk(tx, d);
          return d;
        });
  }

  private static void unplug(SandboxQemu q, String id) {
    run(q, tx -> DeviceUnplugs.unplug(tx, id));
  }

  @Test
  void virtioBlkPlugUnplugCyclesOnRootPortsLeaveNothingBehind() throws Exception {
    try (SandboxQemu q = SandboxQemu.start(assets, q35())) {
      for (int i = 0; i < 3; i++) {
        BlockDrive b =
            plugged(
                q,
                BlockRequest.of(
                    "drive-" + i, disk.toString(), BlockDriver.VIRTIO_BLK, Placement.ROOT_PORT));
        assertThat(b.pciPath()).hasToString("03/00"); // rp0, right after pci-bridge-0
        assertThat(peripheral(q)).contains("virtio-drive-" + i);
        assertThat(nodes(q)).contains("drive-" + i);
        assertThat(qomGet(q, "virtio-drive-" + i, "serial").asString())
            .isEqualTo(String.valueOf(i));
        assertThat(q.model().topology().find("virtio-drive-" + i)).isPresent();
        unplug(q, "virtio-drive-" + i);
        assertThat(peripheral(q)).doesNotContain("virtio-drive-" + i);
        assertThat(nodes(q)).doesNotContain("drive-" + i);
        HypervisorState hs = q.stored().sandbox().hypervisorState();
        assertThat(hs.bridges()).allMatch(x -> x.deviceAddr().isEmpty());
        assertThat(hs.blockIndexMap()).isEmpty();
        assertThat(q.stored().sandbox().devices()).isEmpty();
      }
    }
  }

  @Test
  void readOnlyDiskWithCacheOptionsAndACleanFailure() throws Exception {
    try (SandboxQemu q = SandboxQemu.start(assets, q35())) {
      BlockDrive ro =
          run(
              q,
              tx ->
                  BlockPlug.plug(
                      tx,
                      BlockRequest.of(
                              "drive-ro",
                              disk.toString(),
                              BlockDriver.VIRTIO_BLK,
                              Placement.PCI_BRIDGE)
                          .withReadOnly(true)
                          .withCache(Optional.of(new BlockCache(false, true)))));
      BlockNodeInfo node =
          q.qmp.call(new QueryNamedBlockNodes()).stream()
              .filter(n -> n.nodeName().equals("drive-ro"))
              .findFirst()
              .orElseThrow();
      assertThat(node.readOnly()).isTrue();
      assertThat(node.raw().path("cache").path("no-flush").asBoolean()).isTrue();
      assertThat(ro.pciPath()).hasToString("02/01");
      // a file that does not exist: blockdev-add fails, nothing is held, nothing saved
      var before = q.stored();
      BlockRequest missing =
          BlockRequest.of(
              "drive-x",
              dir.resolve("nope").toString(),
              BlockDriver.VIRTIO_BLK,
              Placement.ROOT_PORT);
      assertThatThrownBy(() -> run(q, tx -> BlockPlug.plug(tx, missing)))
          .isInstanceOf(HotplugException.class)
          .hasMessageContaining("blockdev-add")
          .hasMessageEndingWith("rolled back: release block index 1");
      assertThat(q.stored()).isEqualTo(before);
      assertThat(q.model().blockIndexes().toPersisted()).containsExactly(0L);
      assertThat(q.model().topology().freeSlots(Placement.ROOT_PORT)).isEqualTo(4);
      assertThat(nodes(q)).doesNotContain("drive-x");
    }
  }

  @Test
  void scsiDiskAtTheRecordedIdAndLun() throws Exception {
    try (SandboxQemu q =
        SandboxQemu.start(assets, q35().editKata(k -> k.blockDeviceDriver("virtio-scsi")))) {
      run(
          q,
          tx -> {
            for (int i = 0; i < 257; i++) {
              tx.model().blockIndexes().allocate();
            }
            return null;
          });
      BlockDrive b =
          plugged(
              q,
              BlockRequest.of(
                  "drive-s", disk.toString(), BlockDriver.of(q.config), Placement.PCI_BRIDGE));
      assertThat(b.scsiAddr()).isEqualTo("1:1");
      assertThat(qomGet(q, "virtio-drive-s", "scsi-id").asInt()).isEqualTo(1);
      assertThat(qomGet(q, "virtio-drive-s", "lun").asInt()).isEqualTo(1);
      unplug(q, "virtio-drive-s");
      assertThat(peripheral(q)).doesNotContain("virtio-drive-s");
      assertThat(nodes(q)).doesNotContain("drive-s");
      assertThat(q.model().blockIndexes().isUsed(257)).isFalse();
    }
  }

  @Test
  void vhostUserIsRefusedWithoutSharedMemoryAndFailsCleanlyWithoutADaemon() throws Exception {
    Path sock = dir.resolve("vu.sock");
    VhostUserRequest blk =
        new VhostUserRequest.Blk("blk-1", sock, Placement.ROOT_PORT, OptionalInt.of(1));
    try (SandboxQemu q = SandboxQemu.start(assets, q35())) {
      assertThatThrownBy(() -> run(q, tx -> VhostUserPlug.plug(tx, blk)))
          .isInstanceOf(HotplugRefusedException.class)
          .hasMessageContaining("memory-backend-ram, not shared: the guest would hang");
    }
    try (SandboxQemu q = SandboxQemu.start(assets, q35().editLive(l -> l.sharedMemory(true)))) {
      var before = q.stored();
      assertThatThrownBy(() -> run(q, tx -> VhostUserPlug.plug(tx, blk)))
          .isInstanceOf(HotplugException.class)
          .hasMessageContaining("Failed to connect to '" + sock + "'");
      assertThat(chardevs(q)).doesNotContain("blk-1");
      assertThat(q.stored()).isEqualTo(before);
    }
  }

  @Test
  void vhostUserBlkServedByQemuStorageDaemon() throws Exception {
    Path qsd = Path.of("/usr/bin/qemu-storage-daemon");
    assumeTrue(Files.isExecutable(qsd), "no qemu-storage-daemon installed");
    Path sock = dir.resolve("vub.sock");
    Process daemon =
        new ProcessBuilder(
                qsd.toString(),
                "--blockdev",
                "driver=file,node-name=file0,filename=" + disk,
                "--blockdev",
                "driver=raw,node-name=fmt0,file=file0",
                "--export",
                "type=vhost-user-blk,id=exp0,node-name=fmt0,addr.type=unix,addr.path="
                    + sock
                    + ",writable=on,num-queues=1")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("qsd.log").toFile())
            .start();
    try (SandboxQemu q = SandboxQemu.start(assets, q35().editLive(l -> l.sharedMemory(true)))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!Files.exists(sock) && System.nanoTime() < deadline && daemon.isAlive()) {
        Thread.sleep(10);
      }
      assertThat(sock).as("qsd: %s", Files.readString(dir.resolve("qsd.log"))).exists();
      VhostUserRequest r =
          new VhostUserRequest.Blk("blk-1", sock, Placement.ROOT_PORT, OptionalInt.of(1));
      VhostUserDeviceAttrs p =
          run(
              q,
              tx -> {
                VhostUserDeviceAttrs a = VhostUserPlug.plug(tx, r);
                HostDevice info = HostDevice.vhostUser(r.kind(), sock.toString());
                HotplugHarness.record(tx, info, new Attachment.VhostUser(a));
                return a;
              });
      assertThat(p.pciPath()).hasToString("03/00");
      assertThat(peripheral(q)).contains("virtio-blk-1");
      assertThat(chardevs(q)).contains("blk-1");
      unplug(q, "virtio-blk-1");
      assertThat(peripheral(q)).doesNotContain("virtio-blk-1");
      assertThat(chardevs(q)).doesNotContain("blk-1");
      assertThat(q.model().topology().freeSlots(Placement.ROOT_PORT)).isEqualTo(4);
      assertThat(q.model().blockIndexes().size()).isZero();
    } finally {
      daemon.destroyForcibly();
      daemon.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void vfioFailsCleanlyWithoutTheHostDevice() throws Exception {
    VfioGroup group =
        new VfioGroup(
            77,
            List.of(
                new VfioHostDevice(
                    VfioDeviceType.NORMAL,
                    "0000:7f:1f.7",
                    "/sys/bus/pci/devices/0000:7f:1f.7",
                    "",
                    true,
                    0x030000,
                    0x10de,
                    0x1db6,
                    Optional.of("vfio-pci"))));
    try (SandboxQemu q = SandboxQemu.start(assets, q35())) {
      var before = q.stored();
      VfioRequest r = new VfioRequest("abc", group, Placement.ROOT_PORT);
      assertThatThrownBy(() -> run(q, tx -> VfioPlug.plug(tx, r)))
          .isInstanceOf(HotplugException.class)
          .hasMessageContaining("vfio-pci")
          .hasMessageEndingWith("rolled back: release slot 03/00 (rp0)");
      assertThat(peripheral(q)).doesNotContain("vfio-abc0");
      assertThat(q.stored()).isEqualTo(before);
    }
  }

  @Test
  void vcpuAndDimmInPrelaunchWithoutAGuestStay() throws Exception {
    try (SandboxQemu q = SandboxQemu.start(assets, q35())) {
      Deadlines quick =
          DEADLINES.withDeviceDeleted(Duration.ofSeconds(1)).withCpuEject(Duration.ofSeconds(1));
      Map<String, CpuInstanceProperties> added = q.run(quick, tx -> CpuPlug.add(tx, 1));
      assertThat(added).containsOnlyKeys("cpu-0");
      assertThat(q.qmp.call(new QueryHotpluggableCpus()))
          .extracting(HotpluggableCpu::qomPath)
          .contains(QomList.PERIPHERAL + "/cpu-0");
      assertThat(q.qmp.call(new QueryCpusFast())).hasSize(2);
      assertThat(q.model().vcpus()).containsExactly("cpu-0");
      assertThatThrownBy(() -> q.run(quick, tx -> CpuPlug.add(tx, 3)))
          .isInstanceOf(HotplugRefusedException.class);

      DeviceRecord dimm = q.run(quick, tx -> MemoryPlug.addDimm(tx, 128));
      assertThat(dimm.id()).isEqualTo("dimmmem0");
      List<MemoryDeviceInfo> dimms = q.qmp.call(new QueryMemoryDevices());
      assertThat(dimms).extracting(MemoryDeviceInfo::id).containsExactly("dimmmem0");
      assertThat(dimms.get(0).size()).isEqualTo(128L << 20);
      assertThat(q.stored().sandbox().hypervisorState().hotpluggedMemory()).isEqualTo(128);
      // ACPI memory unplug needs the guest: no DEVICE_DELETED, QEMU still lists the DIMM
      assertThatThrownBy(() -> q.run(quick, tx -> DeviceUnplugs.unplug(tx, "dimmmem0")))
          .isInstanceOf(DeviceStillPresentException.class)
          .hasMessageContaining("still lists dimmmem0");
      assertThat(q.stored().sandbox().hypervisorState().hotpluggedMemory()).isEqualTo(128);
      assertThat(q.qmp.call(new QueryMemoryDevices())).hasSize(1);

      // before the guest switched ACPI CPU hotplug to its modern interface QEMU refuses a vCPU
      // unplug outright: the vCPU stays recorded and, nothing having been unplugged, plugs go on
      assertThatThrownBy(() -> q.run(quick, tx -> DeviceUnplugs.unplug(tx, "cpu-0")))
          .isInstanceOf(HotplugException.class)
          .isNotInstanceOf(DeviceStillPresentException.class)
          .hasMessageStartingWith("sandbox sb1: unplug cpu cpu-0: device_del id=cpu-0: ")
          .hasMessageContaining("not supported device type");
      assertThat(q.model().vcpus()).containsExactly("cpu-0");
      assertThat(CpuUnplugMarker.read(q.vmDir, q.process.pid())).isFalse();
      BlockRequest r =
          BlockRequest.of("drive-1", disk.toString(), BlockDriver.VIRTIO_BLK, Placement.ROOT_PORT);
      assertThat(q.run(quick, tx -> BlockPlug.plug(tx, r)).pciPath()).hasToString("03/00");
      assertThat(q.process.isAlive()).isTrue();
    }
  }

  /** Changed: virtio-mem goes where devices go by default (the pci-bridge), and never shrinks. */
  @Test
  void virtioMemResizedIn64Bits() throws Exception {
    try (SandboxQemu q = SandboxQemu.start(assets, q35().editKata(k -> k.virtioMem(true)))) {
      long total = run(q, tx -> MemoryPlug.growVirtioMem(tx, 4608)); // 4.5 GiB: beyond 32 bits
      assertThat(total).isEqualTo(4608);
      assertThat(qomGet(q, MemoryPlug.VIRTIO_MEM_ID, "requested-size").asLong())
          .isEqualTo(4608L << 20);
      assertThat(q.model().topology().find(MemoryPlug.VIRTIO_MEM_ID).orElseThrow().pciPath())
          .isEqualTo(PciPath.parse("02/01"));
      assertThat(q.stored().sandbox().hypervisorState().hotpluggedMemory()).isEqualTo(4608);
      long more = run(q, tx -> MemoryPlug.growVirtioMem(tx, 256));
      assertThat(more).isEqualTo(4864);
      assertThat(qomGet(q, MemoryPlug.VIRTIO_MEM_ID, "requested-size").asLong())
          .isEqualTo(4864L << 20);
    }
  }

  private static List<String> peripheral(SandboxQemu q) {
    return q.qmp.call(new QomList(QomList.PERIPHERAL)).stream()
        .filter(QomProperty::isChild)
        .map(QomProperty::name)
        .toList();
  }

  private static List<String> nodes(SandboxQemu q) {
    return q.qmp.call(new QueryNamedBlockNodes()).stream().map(BlockNodeInfo::nodeName).toList();
  }

  private static List<String> chardevs(SandboxQemu q) {
    JsonNode list = q.qmp.call(Execute.of("query-chardev"));
    return list.valueStream().map(c -> c.path("label").asString("")).toList();
  }

  private static JsonNode qomGet(SandboxQemu q, String id, String property) {
    return q.qmp.call(new QomGet(QomList.PERIPHERAL + "/" + id, property));
  }
}
