package org.vmm4j.core.internal.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.Device.QemuDevice;
import org.vmm4j.core.api.DeviceKind;
import org.vmm4j.core.internal.hotplug.DeviceRecord.BlockNode;
import org.vmm4j.core.internal.hotplug.DeviceRecord.Chardev;
import org.vmm4j.core.internal.hotplug.DeviceRecord.MemoryObject;
import org.vmm4j.core.internal.hotplug.DeviceRecord.Netdev;
import org.vmm4j.persist.BlockDrive;
import org.vmm4j.persist.Bridge;
import org.vmm4j.persist.CpuDevice;
import org.vmm4j.persist.DeviceState;
import org.vmm4j.persist.HypervisorState;
import org.vmm4j.persist.NetworkEndpoint;
import org.vmm4j.persist.NetworkInfo;
import org.vmm4j.persist.NetworkInterface;
import org.vmm4j.persist.NetworkInterfacePair;
import org.vmm4j.persist.PciPath;
import org.vmm4j.persist.PersistCodec;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.persist.StoredSandbox;
import org.vmm4j.persist.TapEndpoint;
import org.vmm4j.persist.TapInterface;
import org.vmm4j.persist.VethEndpoint;
import org.vmm4j.persist.VfioDev;
import org.vmm4j.persist.VhostUserDeviceAttrs;
import org.vmm4j.persist.VhostUserEndpoint;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.testing.persist.SampleStates;
import org.vmm4j.testing.qmp.FakeQmpServer;

/**
 * {@link DeviceTable}: one record per plugged thing of a state as Kata or vmm4j wrote it, with what
 * the API shows and what an unplug needs (QEMU devices and where the guest sees them, the key of
 * each slot in {@code DeviceAddr}, the backends in creation order, the block index, where in the
 * schema it lives); DIMMs from QEMU, asked only when needed.
 */
class DeviceTableTest {
  static final String MDEV = "/sys/devices/pci0000:00/0000:02:00.0/83b8f4f2";

  /** A disk Kata recorded: its PCIPath {} (nil), its slot keyed by the drive id. */
  static final String KATA_DISK =
      "{\"ID\":\"blk-b\",\"Type\":\"block\",\"RefCount\":1,\"AttachCount\":1,\"DevType\":\"b\","
          + "\"Major\":7,\"Minor\":1,\"ColdPlug\":false,"
          + "\"DriverOptions\":{\"block-driver\":\"virtio-blk\"},"
          + "\"BlockDrive\":{\"File\":\"/img/b.raw\",\"Format\":\"raw\",\"ID\":\"drive-b\","
          + "\"Index\":1,\"MmioAddr\":\"\",\"PCIPath\":{},\"SCSIAddr\":\"\",\"NvdimmID\":\"\","
          + "\"VirtPath\":\"/dev/vdb\",\"DevNo\":\"\",\"Pmem\":false}}";

  final FakeQmpServer fake = FakeQmpServer.start().failOnUnexpectedCommands();
  final QmpClient qmp = QmpClient.connect(fake.socketPath());
  final SandboxModel m = SandboxModel.of(new StoredSandbox(state(), Map.of()), "virtio-blk", false);

  @AfterEach
  void close() {
    qmp.close();
    fake.close();
  }

  static SandboxState state() {
    List<DeviceState> devices =
        List.of(
            disk(
                "blk-a",
                BlockDrive.builder()
                    .id("drive-a")
                    .index(0)
                    .file("/img/a.raw")
                    .format("raw")
                    .pciPath(PciPath.parse("02/01"))
                    .virtPath("/dev/vda")
                    .build()),
            PersistCodec.decodeValue(
                DeviceState.class, KATA_DISK.getBytes(StandardCharsets.UTF_8), "kata disk"),
            disk(
                "blk-s",
                BlockDrive.builder()
                    .id("drive-s")
                    .index(257)
                    .file("/dev/sdb")
                    .format("")
                    .scsiAddr("1:1")
                    .build()),
            DeviceState.builder()
                .id("grp")
                .type("vfio")
                .refCount(1)
                .attachCount(1)
                .devType("c")
                .major(243)
                .minor(3)
                .vfioDevs(
                    List.of(
                        new VfioDev("vfio-g0", 1, "02:00.0", "/sys/bus/pci/devices/0000:02:00.0"),
                        new VfioDev("vfio-g1", 2, "", MDEV)))
                .build(),
            vhostUser("vub", "vhost-user-blk-pci", "blk-x", PciPath.parse("02/03"), 2),
            vhostUser("vuf", "vhost-user-fs-pci", "fs-x", PciPath.NIL, -1),
            vhostUser("vus", "vhost-user-scsi-pci", "scsi-x", PciPath.NIL, -1),
            DeviceState.builder()
                .id("idle")
                .type("block")
                .refCount(1)
                .attachCount(0)
                .devType("b")
                .build());
    List<NetworkEndpoint> endpoints =
        List.of(
            NetworkEndpoint.of(
                new TapEndpoint(
                    new TapInterface(
                        "t1",
                        "tap1_kata",
                        new NetworkInterface("tap1_kata", "0a:58:0a:58:00:07", null)))),
            NetworkEndpoint.of(new VhostUserEndpoint("vu0", PciPath.parse("03/00"))),
            NetworkEndpoint.of(
                new VethEndpoint(
                    new NetworkInterfacePair(
                        new TapInterface(
                            "veth-1",
                            "br0_kata",
                            new NetworkInterface("tap0_kata", "0a:58:0a:58:00:05", null)),
                        new NetworkInterface("eth0", "02:42:ac:11:00:05", null),
                        0))));
    Map<Long, String> bridge =
        Map.of(
            1L,
            "virtio-drive-a",
            2L,
            "drive-b",
            3L,
            "virtio-blk-x",
            4L,
            "virtio-t1",
            5L,
            "veth-1",
            6L,
            "virtio-fs-x");
    HypervisorState hs =
        HypervisorState.builder()
            .pid(1)
            .type("qemu")
            .blockIndexMap(java.util.Set.of(0L, 1L, 2L, 257L))
            .bridges(
                List.of(
                    new Bridge(bridge, "pci", "pci-bridge-0", 2),
                    new Bridge(Map.of(0L, "vfio-g0"), "pcie-root-port", "rp0", 3),
                    new Bridge(Map.of(0L, "vfio-g1"), "pcie-root-port", "rp1", 4)))
            .hotpluggedVcpus(List.of(new CpuDevice("cpu-3")))
            .hotpluggedMemory(256)
            .build();
    return SampleStates.sandbox("sb1", 0, 0).toBuilder()
        .devices(devices)
        .hypervisorState(hs)
        .network(new NetworkInfo("/var/run/netns/p", 0, false, endpoints))
        .build();
  }

  private static DeviceState disk(String id, BlockDrive d) {
    return DeviceState.builder()
        .id(id)
        .type("block")
        .refCount(1)
        .attachCount(1)
        .devType("b")
        .blockDrive(d)
        .build();
  }

  private static DeviceState vhostUser(String id, String type, String dev, PciPath p, long index) {
    return DeviceState.builder()
        .id(id)
        .type(type)
        .refCount(1)
        .attachCount(1)
        .vhostUserDev(new VhostUserDeviceAttrs(dev, "/run/" + dev + ".sock", type, "", p, index))
        .build();
  }

  private DeviceRecord record(String id) {
    return DeviceTable.recorded(m).stream()
        .filter(r -> r.id().equals(id))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aVirtioBlkDisk() {
    DeviceRecord r = record("blk-a");
    assertThat(r.kind()).isEqualTo(DeviceKind.BLOCK);
    assertThat(r.device().qemuDevices())
        .containsExactly(new QemuDevice("virtio-drive-a", PciPath.parse("02/01")));
    assertThat(r.slotKeys()).containsExactly("virtio-drive-a");
    assertThat(r.backends()).containsExactly(new BlockNode("drive-a"));
    assertThat(r.index()).hasValue(0);
    assertThat(r.source()).isEqualTo(new DeviceRecord.KataDevice());
    assertThat(r.device().lines())
        .containsExactly(
            "blk-a 02/01 qemu-id=virtio-drive-a driver=virtio-blk virt-path=/dev/vda format=raw"
                + " file=/img/a.raw");
  }

  @Test
  void aDiskKataRecordedWithANilPathAndItsSlotKeyedByTheDriveId() {
    DeviceRecord r = record("blk-b");
    assertThat(r.device().pciPath()).hasToString("02/02");
    assertThat(r.device().qemuId()).isEqualTo("virtio-drive-b");
    assertThat(r.slotKeys()).containsExactly("drive-b");
    assertThat(r.index()).hasValue(1);
  }

  @Test
  void aScsiDisk() {
    DeviceRecord r = record("blk-s");
    assertThat(r.device().pciPath()).isEqualTo(PciPath.NIL);
    assertThat(r.slotKeys()).containsExactly("");
    assertThat(r.index()).hasValue(257);
    assertThat(r.device().details())
        .containsEntry("driver", "virtio-scsi")
        .containsEntry("scsi", "1:1")
        .containsEntry("format", "raw")
        .doesNotContainKey("virt-path");
  }

  @Test
  void aVfioGroupOfTwoMembers() {
    DeviceRecord r = record("grp");
    assertThat(r.kind()).isEqualTo(DeviceKind.VFIO);
    assertThat(r.device().qemuDevices())
        .extracting(QemuDevice::id, QemuDevice::pciPath)
        .containsExactly(
            tuple("vfio-g0", PciPath.parse("03/00")), tuple("vfio-g1", PciPath.parse("04/00")));
    assertThat(r.device().qemuDevices().get(0).details()).containsEntry("host", "02:00.0");
    assertThat(r.device().qemuDevices().get(1).details()).containsEntry("host", MDEV);
    assertThat(r.slotKeys()).containsExactly("vfio-g0", "vfio-g1");
    assertThat(r.backends()).isEmpty();
    assertThat(r.index()).isEmpty();
    assertThat(r.device().lines())
        .containsExactly(
            "grp 03/00 qemu-id=vfio-g0 host=02:00.0", "grp 04/00 qemu-id=vfio-g1 host=" + MDEV);
  }

  @Test
  void vhostUserBlkFsAndScsi() {
    DeviceRecord blk = record("vub");
    assertThat(blk.kind()).isEqualTo(DeviceKind.VHOST_USER_BLK);
    assertThat(blk.device().qemuDevices())
        .containsExactly(new QemuDevice("virtio-blk-x", PciPath.parse("02/03")));
    assertThat(blk.backends()).containsExactly(new Chardev("blk-x"));
    assertThat(blk.index()).hasValue(2);
    assertThat(blk.device().details()).containsEntry("socket", "/run/blk-x.sock");
    DeviceRecord fs = record("vuf");
    assertThat(fs.kind()).isEqualTo(DeviceKind.VHOST_USER_FS);
    assertThat(fs.device().pciPath()).as("from its slot").hasToString("02/06");
    assertThat(fs.index()).isEmpty();
    DeviceRecord scsi = record("vus");
    assertThat(scsi.kind()).isEqualTo(DeviceKind.VHOST_USER_SCSI);
    assertThat(scsi.device().pciPath()).isEqualTo(PciPath.NIL);
    assertThat(scsi.slotKeys()).containsExactly("");
    assertThat(scsi.index()).isEmpty();
  }

  @Test
  void aDeviceNotAttachedIsRecordedButNotPlugged() {
    fake.on("query-memory-devices").reply("[]");
    DeviceRecord idle = record("idle");
    assertThat(idle.device().qemuDevices()).isEmpty();
    assertThat(DeviceTable.plugged(m, qmp, Deadlines.defaults()))
        .extracting(DeviceRecord::id)
        .doesNotContain("idle");
  }

  @Test
  void aTapEndpoint() {
    DeviceRecord r = record("tap1_kata");
    assertThat(r.kind()).isEqualTo(DeviceKind.NETWORK);
    assertThat(r.device().qemuDevices())
        .containsExactly(new QemuDevice("virtio-t1", PciPath.parse("02/04")));
    assertThat(r.backends()).containsExactly(new Netdev("tap1_kata"));
    assertThat(r.slotKeys()).containsExactly("virtio-t1");
    assertThat(r.source()).isEqualTo(new DeviceRecord.KataEndpoint(0));
    assertThat(r.device().details()).containsEntry("type", "tap").containsEntry("tap", "tap1_kata");
  }

  @Test
  void aVhostUserNetEndpoint() {
    DeviceRecord r = record("vu0");
    assertThat(r.kind()).isEqualTo(DeviceKind.VHOST_USER_NET);
    assertThat(r.device().qemuDevices())
        .containsExactly(new QemuDevice("virtio-vu0", PciPath.parse("03/00")));
    assertThat(r.backends()).containsExactly(new Chardev("vu0"), new Netdev("net-vu0"));
    assertThat(r.source()).isEqualTo(new DeviceRecord.KataEndpoint(1));
    assertThat(r.device().details()).containsEntry("mac", "-");
  }

  @Test
  void aVethEndpointKataKeyedByItsBareUuid() {
    DeviceRecord r = record("eth0");
    assertThat(r.device().qemuDevices())
        .containsExactly(new QemuDevice("virtio-veth-1", PciPath.parse("02/05")));
    assertThat(r.slotKeys()).containsExactly("veth-1");
    assertThat(r.backends()).containsExactly(new Netdev("br0_kata"));
    assertThat(r.source()).isEqualTo(new DeviceRecord.KataEndpoint(2));
  }

  @Test
  void aVcpu() {
    DeviceRecord r = record("cpu-3");
    assertThat(r.kind()).isEqualTo(DeviceKind.VCPU);
    assertThat(r.device().qemuDevices()).containsExactly(new QemuDevice("cpu-3", PciPath.NIL));
    assertThat(r.source()).isEqualTo(new DeviceRecord.HotpluggedVcpu());
    assertThat(r.device().lines()).containsExactly("cpu-3 -");
  }

  @Test
  void theDimmsComeFromQemuOnlyWhenNeeded() {
    assertThat(DeviceTable.recorded(m)).extracting(DeviceRecord::id).doesNotContain("dimmmem0");
    assertThat(DeviceTable.find(m, "virtio-drive-b", qmp, Deadlines.defaults()))
        .hasValueSatisfying(r -> assertThat(r.id()).isEqualTo("blk-b"));
    assertThat(DeviceTable.find(m, "nope", qmp, Deadlines.defaults())).isEmpty();
    assertThat(fake.commandNames()).containsExactly("qmp_capabilities");
    fake.on("query-memory-devices")
        .reply(
            "[{\"type\":\"dimm\",\"data\":{\"slot\":0,\"node\":0,\"addr\":4294967296,"
                + "\"memdev\":\"/objects/mem0\",\"id\":\"dimmmem0\",\"hotpluggable\":true,"
                + "\"hotplugged\":true,\"size\":268435456}},"
                + "{\"type\":\"nvdimm\",\"data\":{\"slot\":1,\"node\":0,\"addr\":0,"
                + "\"memdev\":\"/objects/mem1\",\"id\":\"nv0\",\"hotpluggable\":true,"
                + "\"hotplugged\":false,\"size\":1048576}},"
                + "{\"type\":\"dimm\",\"data\":{\"slot\":2,\"node\":0,\"addr\":0,"
                + "\"memdev\":\"/objects/m\",\"id\":\"theirs\",\"hotpluggable\":true,"
                + "\"hotplugged\":true,\"size\":1048576}}]");
    DeviceRecord dimm = DeviceTable.find(m, "dimmmem0", qmp, Deadlines.defaults()).orElseThrow();
    assertThat(dimm.kind()).isEqualTo(DeviceKind.MEMORY);
    assertThat(dimm.backends()).containsExactly(new MemoryObject("mem0"));
    assertThat(dimm.source()).isEqualTo(new DeviceRecord.Dimm(256));
    assertThat(dimm.device().lines()).containsExactly("dimmmem0 - size=256M memdev=mem0");
    List<DeviceRecord> plugged = DeviceTable.plugged(m, qmp, Deadlines.defaults());
    assertThat(plugged)
        .extracting(DeviceRecord::id)
        .containsExactly(
            "blk-a",
            "blk-b",
            "blk-s",
            "grp",
            "vub",
            "vuf",
            "vus",
            "tap1_kata",
            "vu0",
            "eth0",
            "cpu-3",
            "dimmmem0");
  }

  @Test
  void aDeviceLineNamesItsPathAndDetails() {
    Device d =
        new Device(
            "0123456789abcdef",
            DeviceKind.BLOCK,
            List.of(new QemuDevice("virtio-drive-0123456789abcdef", PciPath.parse("02/01"))),
            Map.of("qemu-id", "virtio-drive-0123456789abcdef"));
    assertThat(d.lines())
        .containsExactly("0123456789abcdef 02/01 qemu-id=virtio-drive-0123456789abcdef");
  }
}
