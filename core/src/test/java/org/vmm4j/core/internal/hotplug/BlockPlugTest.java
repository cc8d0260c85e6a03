package org.vmm4j.core.internal.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.BlockDriver;
import org.vmm4j.core.api.BlockFormat;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.HotplugException;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.devices.NoFreeSlotException;
import org.vmm4j.devices.Placement;
import org.vmm4j.persist.BlockDrive;
import org.vmm4j.persist.Bridge;
import org.vmm4j.persist.PciPath;
import org.vmm4j.persist.StoredSandbox;

/**
 * {@link BlockPlug} in a transaction: the exact QMP bytes of a virtio-blk and a SCSI disk, the
 * rollback of a failure at every step (nothing saved), a rollback that cannot finish (what stayed
 * saved). {@link BlockUnplugTest} unplugs the disk.
 */
class BlockPlugTest {
  static final String BLOCKDEV_ADD =
      "blockdev-add {\"driver\":\"raw\",\"node-name\":\"drive-1\",\"read-only\":false,"
          + "\"file\":{\"driver\":\"file\",\"filename\":\"/img/a.raw\"}}";
  static final String DEVICE_ADD_BRIDGE =
      "device_add {\"driver\":\"virtio-blk-pci\",\"id\":\"virtio-drive-1\",\"drive\":\"drive-1\","
          + "\"serial\":\"1\",\"share-rw\":\"on\",\"romfile\":\"\",\"bus\":\"pci-bridge-0\","
          + "\"addr\":\"01\"}";
  static final String BLOCKDEV_DEL = "blockdev-del {\"node-name\":\"drive-1\"}";
  static final String DEVICE_DEL = "device_del {\"id\":\"virtio-drive-1\"}";
  static final String QOM_LIST = "qom-list {\"path\":\"/machine/peripheral\"}";
  static final String OP = "sandbox sb1: hotplug virtio-blk disk virtio-drive-1 (/img/a.raw)";

  private final HotplugHarness h = HotplugHarness.q35();
  private final StoredSandbox fresh = h.stored();

  @AfterEach
  void close() {
    h.close();
  }

  static BlockRequest onBridge() {
    return BlockRequest.of("drive-1", "/img/a.raw", BlockDriver.VIRTIO_BLK, Placement.PCI_BRIDGE);
  }

  private BlockDrive plug(BlockRequest r) {
    return h.run(tx -> BlockPlug.plug(tx, r));
  }

  @Test
  void virtioBlkOnABridge() {
    BlockDrive d = plug(onBridge());
    assertThat(h.sent()).containsExactly(BLOCKDEV_ADD, DEVICE_ADD_BRIDGE);
    assertThat(d)
        .isEqualTo(
            BlockDrive.builder()
                .file("/img/a.raw")
                .format("raw")
                .id("drive-1")
                .index(0)
                .pciPath(PciPath.parse("02/01"))
                .virtPath("/dev/vda")
                .build());
    var hs = h.stored().sandbox().hypervisorState();
    assertThat(hs.bridges().get(0))
        .isEqualTo(new Bridge(Map.of(1L, "virtio-drive-1"), "pci", "pci-bridge-0", 2));
    assertThat(hs.blockIndexMap()).containsExactly(0L);
    assertThat(h.saves()).isEqualTo(1);
    // what an unplug reads back from the state
    DeviceRecord r = DeviceTable.block("blk", d, h.model().topology());
    assertThat(r.device().qemuDevices())
        .containsExactly(new Device.QemuDevice("virtio-drive-1", PciPath.parse("02/01")));
    assertThat(r.slotKeys()).containsExactly("virtio-drive-1");
    assertThat(r.backends()).containsExactly(new DeviceRecord.BlockNode("drive-1"));
    assertThat(r.index()).hasValue(0);
  }

  @Test
  void virtioBlkOnARootPortHasNoAddr() {
    BlockDrive d =
        plug(
            BlockRequest.of("drive-1", "/img/a.raw", BlockDriver.VIRTIO_BLK, Placement.ROOT_PORT)
                .withFormat(BlockFormat.QCOW2)
                .withReadOnly(true)
                .withCache(Optional.of(new BlockCache(true, false)))
                .withSerial("disk-one"));
    assertThat(h.sent())
        .containsExactly(
            "blockdev-add {\"driver\":\"qcow2\",\"node-name\":\"drive-1\",\"read-only\":true,"
                + "\"cache\":{\"direct\":true,\"no-flush\":false},"
                + "\"file\":{\"driver\":\"file\",\"filename\":\"/img/a.raw\"}}",
            "device_add {\"driver\":\"virtio-blk-pci\",\"id\":\"virtio-drive-1\","
                + "\"drive\":\"drive-1\",\"serial\":\"disk-one\",\"share-rw\":\"on\","
                + "\"romfile\":\"\",\"bus\":\"rp0\"}");
    assertThat(d.pciPath()).hasToString("03/00");
    assertThat(d.format()).isEqualTo("qcow2");
  }

  @Test
  void scsiDiskAtTheIndexsIdAndLun() {
    h.seed(
        m -> {
          for (int i = 0; i < 257; i++) {
            m.blockIndexes().allocate();
          }
        });
    BlockDrive d =
        plug(
            BlockRequest.of(
                "drive-0123456789abcdef",
                "/dev/sdb",
                BlockDriver.VIRTIO_SCSI,
                Placement.PCI_BRIDGE));
    assertThat(h.sent())
        .containsExactly(
            "blockdev-add {\"driver\":\"raw\",\"node-name\":\"drive-0123456789abcdef\","
                + "\"read-only\":false,\"file\":{\"driver\":\"file\",\"filename\":\"/dev/sdb\"}}",
            "device_add {\"driver\":\"scsi-hd\",\"id\":\"virtio-drive-0123456789abcdef\","
                + "\"drive\":\"drive-0123456789abcdef\",\"serial\":\"0123456789abcdef\","
                + "\"share-rw\":\"on\",\"bus\":\"scsi0.0\",\"scsi-id\":1,\"lun\":1}");
    assertThat(d.scsiAddr()).isEqualTo("1:1");
    assertThat(d.pciPath()).isEqualTo(PciPath.NIL);
    assertThat(d.virtPath()).isEmpty();
    assertThat(h.model().topology().freeSlots(Placement.PCI_BRIDGE)).isEqualTo(30);
    assertThat(h.model().blockIndexes().isUsed(257)).isTrue();
    DeviceRecord r = DeviceTable.block("blk", d, h.model().topology());
    assertThat(r.device().pciPath()).isEqualTo(PciPath.NIL);
    assertThat(r.slotKeys()).containsExactly("");
    assertThat(r.device().details())
        .containsEntry("driver", "virtio-scsi")
        .containsEntry("scsi", "1:1");
  }

  @Test
  void rollbackWhenBlockdevAddFails() {
    h.fake.on("blockdev-add").error("GenericError", "Could not open '/img/a.raw'");
    assertThatThrownBy(() -> plug(onBridge()))
        .isInstanceOf(HotplugException.class)
        .hasMessage(
            OP
                + ": blockdev-add driver=raw node-name=drive-1 read-only=false"
                + " file={\"driver\":\"file\",\"filename\":\"/img/a.raw\"}:"
                + " Could not open '/img/a.raw' (GenericError);"
                + " rolled back: release block index 0");
    assertThat(h.sent()).containsExactly(BLOCKDEV_ADD);
    assertNothingSaved();
  }

  @Test
  void rollbackWhenDeviceAddFails() {
    h.fake.on("device_add").error("GenericError", "Bus 'pci-bridge-0' is full");
    assertThatThrownBy(() -> plug(onBridge()))
        .isInstanceOf(HotplugException.class)
        .hasMessageStartingWith(OP + ": device_add ")
        .hasMessageEndingWith(
            "Bus 'pci-bridge-0' is full (GenericError); rolled back: release slot 02/01"
                + " (pci-bridge-0), blockdev-del drive-1, release block index 0");
    assertThat(h.sent()).containsExactly(BLOCKDEV_ADD, DEVICE_ADD_BRIDGE, BLOCKDEV_DEL);
    assertNothingSaved();
  }

  /** Changed: no free slot is a refusal now (it was a HotplugException), after the rollback. */
  @Test
  void rollbackWhenNoSlotIsFree() {
    h.seed(
        m -> {
          for (int i = 0; i < 30; i++) {
            m.topology().commit(m.topology().reserve("other" + i, Placement.PCI_BRIDGE));
          }
        });
    StoredSandbox full = h.stored();
    assertThatThrownBy(() -> plug(onBridge()))
        .isInstanceOf(HotplugRefusedException.class)
        .hasRootCauseInstanceOf(NoFreeSlotException.class)
        .hasMessageStartingWith(OP + ": ")
        .hasMessageContaining("no free slot on the pci bridges")
        .hasMessageEndingWith("rolled back: blockdev-del drive-1, release block index 0");
    assertThat(h.sent()).containsExactly(BLOCKDEV_ADD, BLOCKDEV_DEL);
    assertThat(h.stored()).isEqualTo(full);
    assertThat(h.saves()).isZero();
  }

  /** Changed: a sandbox out of block indexes refuses the plug (it was a HotplugException). */
  @Test
  void noBlockIndexLeftSendsNothing() {
    h.seed(
        m -> {
          for (int i = 0; i < 65535; i++) {
            m.blockIndexes().allocate();
          }
        });
    assertThatThrownBy(() -> plug(onBridge()))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessageStartingWith(OP + ": ")
        .hasMessageEndingWith("all 65535 are in use");
    assertThat(h.sent()).isEmpty();
    assertThat(h.saves()).isZero();
  }

  @Test
  void q35RootBusIsRefusedOnceTheIndexAndBackendAreUndone() {
    BlockRequest r =
        BlockRequest.of("drive-1", "/img/a.raw", BlockDriver.VIRTIO_BLK, Placement.ROOT_BUS);
    assertThatThrownBy(() -> plug(r))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessageContaining("q35's root bus pcie.0 does not support hotplug")
        .hasMessageEndingWith("rolled back: blockdev-del drive-1, release block index 0");
    assertThat(h.sent()).containsExactly(BLOCKDEV_ADD, BLOCKDEV_DEL);
    assertNothingSaved();
  }

  @Test
  void deviceAddWithoutAnswerAndNotCreated() {
    h.fake.on("device_add").delay(Duration.ofMillis(800)).reply("{}");
    h.shortCommands();
    assertThatThrownBy(() -> plug(onBridge()))
        .isInstanceOf(HotplugException.class)
        .hasMessageContaining("no reply within 500 ms")
        .hasMessageEndingWith(
            "rolled back: device_del virtio-drive-1 if QEMU created it, release slot 02/01"
                + " (pci-bridge-0), blockdev-del drive-1, release block index 0");
    assertThat(h.sent()).containsExactly(BLOCKDEV_ADD, DEVICE_ADD_BRIDGE, QOM_LIST, BLOCKDEV_DEL);
    assertNothingSaved();
  }

  @Test
  void deviceAddWithoutAnswerButCreatedIsRemovedFirst() {
    h.fake.on("device_add").delay(Duration.ofMillis(800)).reply("{}");
    h.peripheralLists("virtio-drive-1");
    h.fake.on("device_del").replyThenDeviceDeleted();
    h.shortCommands();
    assertThatThrownBy(() -> plug(onBridge())).isInstanceOf(HotplugException.class);
    assertThat(h.sent())
        .containsExactly(BLOCKDEV_ADD, DEVICE_ADD_BRIDGE, QOM_LIST, DEVICE_DEL, BLOCKDEV_DEL);
    assertNothingSaved();
  }

  @Test
  void aFailingUndoStopsTheRollbackAndSavesWhatStayed() {
    h.fake.on("device_add").error("GenericError", "no");
    h.fake.on("blockdev-del").error("GenericError", "Node drive-1 is in use");
    HotplugException e = catchPlug(onBridge());
    assertThat(e.leftInPlace()).containsExactly("blockdev-del drive-1", "release block index 0");
    assertThat(e.getMessage())
        .startsWith(OP + ": device_add ")
        .endsWith(
            "rolled back: release slot 02/01 (pci-bridge-0); rollback stopped: blockdev-del"
                + " drive-1: blockdev-del node-name=drive-1: Node drive-1 is in use (GenericError);"
                + " left in place: blockdev-del drive-1, release block index 0");
    assertThat(e.getCause().getSuppressed()).hasSize(1);
    // the index stays taken in the saved state: the node QEMU kept may still use it
    assertThat(h.saves()).isEqualTo(1);
    assertThat(h.model().topology().freeSlots(Placement.PCI_BRIDGE)).isEqualTo(30);
    assertThat(h.stored().sandbox().hypervisorState().blockIndexMap()).containsExactly(0L);
  }

  private HotplugException catchPlug(BlockRequest r) {
    try {
      plug(r);
    } catch (HotplugException e) {
      return e;
    }
    throw new AssertionError("plug succeeded");
  }

  /** The state as the fresh sandbox had it, not even rewritten. */
  private void assertNothingSaved() {
    assertThat(h.stored()).isEqualTo(fresh);
    assertThat(h.saves()).isZero();
  }
}
