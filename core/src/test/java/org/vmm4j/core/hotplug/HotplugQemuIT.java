package org.vmm4j.core.hotplug;

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
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.Accelerator;
import org.vmm4j.core.HypervisorConfig;
import org.vmm4j.devices.Placement;
import org.vmm4j.devices.VfioDeviceType;
import org.vmm4j.devices.VfioGroup;
import org.vmm4j.devices.VfioHostDevice;
import org.vmm4j.qmp.BlockNodeInfo;
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
 * The flows against a real QEMU 7.2 started from core's own command line, with {@code -S} and no
 * guest: what can be checked without one (native PCIe hotplug on q35 root ports lets a
 * never-powered slot unplug at once). QEMU is asked what is true after every step.
 */
class HotplugQemuIT {
  static final HotplugTimeouts TIMEOUTS =
      HotplugTimeouts.defaults()
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

  @Test
  void virtioBlkPlugUnplugCyclesOnRootPortsLeaveNothingBehind() throws Exception {
    try (SandboxQemu q = SandboxQemu.start(assets, q35())) {
      HotplugContext ctx = q.context(TIMEOUTS);
      BlockHotplug flow = new BlockHotplug(ctx);
      for (int i = 0; i < 3; i++) {
        PluggedBlock b =
            flow.plug(
                BlockRequest.of(
                    "drive-" + i, disk.toString(), BlockDriver.VIRTIO_BLK, Placement.ROOT_PORT));
        assertThat(b.pciPath()).hasToString("03/00"); // rp0, right after pci-bridge-0
        assertThat(peripheral(q)).contains("virtio-drive-" + i);
        assertThat(nodes(q)).contains("drive-" + i);
        assertThat(qomGet(q, "virtio-drive-" + i, "serial").asString())
            .isEqualTo(String.valueOf(i));
        flow.unplug(b);
        assertThat(peripheral(q)).doesNotContain("virtio-drive-" + i);
        assertThat(nodes(q)).doesNotContain("drive-" + i);
        assertThat(ctx.topology().toPersisted()).allMatch(x -> x.deviceAddr().isEmpty());
        assertThat(ctx.blockIndexes().size()).isZero();
      }
    }
  }

  @Test
  void readOnlyDiskWithCacheOptionsAndACleanFailure() throws Exception {
    try (SandboxQemu q = SandboxQemu.start(assets, q35())) {
      HotplugContext ctx = q.context(TIMEOUTS);
      BlockHotplug flow = new BlockHotplug(ctx);
      PluggedBlock ro =
          flow.plug(
              BlockRequest.of(
                      "drive-ro", disk.toString(), BlockDriver.VIRTIO_BLK, Placement.PCI_BRIDGE)
                  .withReadOnly(true)
                  .withCache(Optional.of(new BlockCache(false, true))));
      BlockNodeInfo node =
          q.qmp.call(new QueryNamedBlockNodes()).stream()
              .filter(n -> n.nodeName().equals("drive-ro"))
              .findFirst()
              .orElseThrow();
      assertThat(node.readOnly()).isTrue();
      assertThat(node.raw().path("cache").path("no-flush").asBoolean()).isTrue();
      assertThat(ro.pciPath()).hasToString("02/01");
      // a file that does not exist: blockdev-add fails, nothing is held
      assertThatThrownBy(
              () ->
                  flow.plug(
                      BlockRequest.of(
                          "drive-x",
                          dir.resolve("nope").toString(),
                          BlockDriver.VIRTIO_BLK,
                          Placement.ROOT_PORT)))
          .isInstanceOf(HotplugException.class)
          .hasMessageContaining("blockdev-add")
          .hasMessageEndingWith("rolled back: release block index 1");
      assertThat(ctx.blockIndexes().toPersisted()).containsExactly(0L);
      assertThat(ctx.topology().freeSlots(Placement.ROOT_PORT)).isEqualTo(4);
    }
  }

  @Test
  void scsiDiskAtTheRecordedIdAndLun() throws Exception {
    try (SandboxQemu q =
        SandboxQemu.start(assets, q35().editKata(k -> k.blockDeviceDriver("virtio-scsi")))) {
      HotplugContext ctx = q.context(TIMEOUTS);
      for (int i = 0; i < 257; i++) {
        ctx.blockIndexes().allocate();
      }
      BlockHotplug flow = new BlockHotplug(ctx);
      PluggedBlock b =
          flow.plug(
              BlockRequest.of(
                  "drive-s", disk.toString(), BlockDriver.of(q.config), Placement.PCI_BRIDGE));
      assertThat(b.toBlockDrive().scsiAddr()).isEqualTo("1:1");
      assertThat(qomGet(q, "virtio-drive-s", "scsi-id").asInt()).isEqualTo(1);
      assertThat(qomGet(q, "virtio-drive-s", "lun").asInt()).isEqualTo(1);
      flow.unplug(b);
      assertThat(peripheral(q)).doesNotContain("virtio-drive-s");
      assertThat(nodes(q)).doesNotContain("drive-s");
    }
  }

  @Test
  void vhostUserIsRefusedWithoutSharedMemoryAndFailsCleanlyWithoutADaemon() throws Exception {
    Path sock = dir.resolve("vu.sock");
    VhostUserRequest blk =
        new VhostUserRequest.Blk("blk-1", sock, Placement.ROOT_PORT, OptionalInt.of(1));
    try (SandboxQemu q = SandboxQemu.start(assets, q35())) {
      assertThatThrownBy(() -> new VhostUserHotplug(q.context(TIMEOUTS)).plug(blk))
          .isInstanceOf(HotplugRefusedException.class)
          .hasMessageContaining("memory-backend-ram, not shared: the guest would hang");
    }
    try (SandboxQemu q = SandboxQemu.start(assets, q35().editLive(l -> l.sharedMemory(true)))) {
      HotplugContext ctx = q.context(TIMEOUTS);
      assertThatThrownBy(() -> new VhostUserHotplug(ctx).plug(blk))
          .isInstanceOf(HotplugException.class)
          .hasMessageContaining("Failed to connect to '" + sock + "'");
      assertThat(chardevs(q)).doesNotContain("blk-1");
      assertThat(ctx.topology().freeSlots(Placement.ROOT_PORT)).isEqualTo(4);
      assertThat(ctx.blockIndexes().size()).isZero();
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
      HotplugContext ctx = q.context(TIMEOUTS);
      VhostUserHotplug flow = new VhostUserHotplug(ctx);
      PluggedVhostUser p =
          flow.plug(
              new VhostUserRequest.Blk("blk-1", sock, Placement.ROOT_PORT, OptionalInt.of(1)));
      assertThat(p.pciPath()).hasToString("03/00");
      assertThat(peripheral(q)).contains("virtio-blk-1");
      assertThat(chardevs(q)).contains("blk-1");
      flow.unplug(p);
      assertThat(peripheral(q)).doesNotContain("virtio-blk-1");
      assertThat(chardevs(q)).doesNotContain("blk-1");
      assertThat(ctx.topology().freeSlots(Placement.ROOT_PORT)).isEqualTo(4);
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
      HotplugContext ctx = q.context(TIMEOUTS);
      assertThatThrownBy(
              () -> new VfioHotplug(ctx).plug(new VfioRequest("abc", group, Placement.ROOT_PORT)))
          .isInstanceOf(HotplugException.class)
          .hasMessageContaining("vfio-pci")
          .hasMessageEndingWith("rolled back: release slot 03/00 (rp0)");
      assertThat(peripheral(q)).doesNotContain("vfio-abc0");
      assertThat(ctx.topology().freeSlots(Placement.ROOT_PORT)).isEqualTo(4);
    }
  }

  @Test
  void vcpuAndDimmInPrelaunchAndADimmWithoutGuestStays() throws Exception {
    try (SandboxQemu q = SandboxQemu.start(assets, q35())) {
      HotplugContext ctx = q.context(TIMEOUTS.withDeviceDeleted(Duration.ofSeconds(1)));
      CpuHotplug cpus = new CpuHotplug(ctx, CpuLimits.of(q.config, Accelerator.TCG), null, false);
      assertThat(cpus.add(1)).containsExactly("cpu-0");
      assertThat(q.qmp.call(new QueryHotpluggableCpus()))
          .extracting(HotpluggableCpu::qomPath)
          .contains(QomList.PERIPHERAL + "/cpu-0");
      assertThat(q.qmp.call(new QueryCpusFast())).hasSize(2);
      assertThatThrownBy(() -> cpus.add(3)).isInstanceOf(HotplugRefusedException.class);

      MemoryHotplug memory = new MemoryHotplug(ctx, MemoryLimits.of(q.config, SandboxQemu.HOST), 0);
      assertThat(memory.add(128)).isEqualTo(128);
      List<MemoryDeviceInfo> dimms = q.qmp.call(new QueryMemoryDevices());
      assertThat(dimms).extracting(MemoryDeviceInfo::id).containsExactly("dimmmem0");
      assertThat(dimms.get(0).size()).isEqualTo(128L << 20);
      // ACPI memory unplug needs the guest: no DEVICE_DELETED, QEMU still lists the DIMM
      assertThatThrownBy(() -> memory.remove(128))
          .isInstanceOf(DeviceStillPresentException.class)
          .hasMessageContaining("still lists dimmmem0");
      assertThat(memory.hotpluggedMiB()).isEqualTo(128);
      assertThat(q.qmp.call(new QueryMemoryDevices())).hasSize(1);
    }
  }

  @Test
  void virtioMemOnARootPortResizedIn64Bits() throws Exception {
    try (SandboxQemu q = SandboxQemu.start(assets, q35().editKata(k -> k.virtioMem(true)))) {
      HotplugContext ctx = q.context(TIMEOUTS);
      MemoryHotplug memory = new MemoryHotplug(ctx, MemoryLimits.of(q.config, SandboxQemu.HOST), 0);
      memory.setupVirtioMem(Placement.ROOT_PORT);
      assertThat(memory.add(4608)).isEqualTo(4608); // 4.5 GiB: beyond 32 bits of bytes
      assertThat(qomGet(q, MemoryHotplug.VIRTIO_MEM_ID, "requested-size").asLong())
          .isEqualTo(4608L << 20);
      assertThat(ctx.topology().find(MemoryHotplug.VIRTIO_MEM_ID).orElseThrow().pciPath())
          .hasToString("03/00");
      assertThat(memory.remove(4096)).isEqualTo(512);
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
