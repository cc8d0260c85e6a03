package org.vmm4j.core.internal.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.BlockDriver;
import org.vmm4j.core.BlockFormat;
import org.vmm4j.core.Device;
import org.vmm4j.core.DeviceKind;
import org.vmm4j.core.DeviceStillPresentException;
import org.vmm4j.core.HotplugException;
import org.vmm4j.core.HotplugRefusedException;
import org.vmm4j.devices.NoFreeSlotException;
import org.vmm4j.devices.Placement;
import org.vmm4j.persist.BlockDrive;
import org.vmm4j.persist.Bridge;
import org.vmm4j.persist.PciPath;
import org.vmm4j.persist.StoredSandbox;

/**
 * {@link BlockPlug} in a transaction: the exact QMP bytes of a virtio-blk and a SCSI disk, the
 * rollback of a failure at every step (nothing saved), a rollback that cannot finish (what stayed
 * saved), and the unplug of the disk read back from the state ({@link Unplug}).
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

  /** Plugs and records the disk in {@code Devices}; returns its id. */
  private String plugged() {
    String id = h.run(tx -> HotplugHarness.recordDisk(tx, BlockPlug.plug(tx, onBridge())).id());
    h.forgetSaves();
    return id;
  }

  private Device unplug(String id) {
    return h.run(tx -> DeviceUnplugs.unplug(tx, id));
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

  @Test
  void unplugWaitsForTheEventThenFreesBackendSlotAndIndex() {
    String id = plugged();
    Device d = unplug("virtio-drive-1"); // by its QEMU id, as read back from the state
    assertThat(d.id()).isEqualTo(id);
    assertThat(d.kind()).isEqualTo(DeviceKind.BLOCK);
    assertThat(d.pciPath()).hasToString("02/01");
    assertThat(h.last().tx().removedDevices()).containsExactly(d);
    assertThat(h.sent()).containsExactly(BLOCKDEV_ADD, DEVICE_ADD_BRIDGE, DEVICE_DEL, BLOCKDEV_DEL);
    assertNothingHeld();
    // the slot and index are free for the next disk
    assertThat(plug(onBridge()).pciPath()).hasToString("02/01");
  }

  @Test
  void unplugFreesASlotKataKeyedByTheDriveId() {
    String id = plugged();
    // Kata's DeviceAddr names the drive ("drive-1"), not the QEMU device
    h.seed(
        m -> {
          m.topology().release(m.topology().find("virtio-drive-1").orElseThrow());
          m.topology().commit(m.topology().reserveOn("drive-1", "pci-bridge-0"));
        });
    unplug(id);
    assertThat(h.model().topology().find("drive-1")).isEmpty();
    assertNothingHeld();
  }

  @Test
  void unplugTimeoutWithTheDeviceStillThereKeepsEverything() {
    String id = plugged();
    StoredSandbox before = h.stored();
    h.fake.on("device_del").reply("{}"); // accepted, no event: QEMU keeps the device
    assertThatThrownBy(() -> unplug(id))
        .isInstanceOf(DeviceStillPresentException.class)
        .hasMessage(
            "sandbox sb1: unplug block "
                + id
                + ": QEMU accepted device_del but sent no"
                + " DEVICE_DELETED within 300 ms and still lists virtio-drive-1 under"
                + " /machine/peripheral (the guest has not released it); still taken: slot 02/01"
                + " (pci-bridge-0), blockdev drive-1, block index 0");
    assertThat(h.sent().subList(2, h.sent().size())).containsExactly(DEVICE_DEL, QOM_LIST);
    assertThat(h.stored()).isEqualTo(before);
    assertThat(h.saves()).isZero();
  }

  @Test
  void unplugTimeoutWithTheDeviceGoneFinishesTheCleanup() {
    String id = plugged();
    h.fake.on("device_del").reply("{}");
    h.peripheralLists(); // gone, the event was missed
    unplug(id);
    assertThat(h.sent())
        .containsExactly(BLOCKDEV_ADD, DEVICE_ADD_BRIDGE, DEVICE_DEL, QOM_LIST, BLOCKDEV_DEL);
    assertNothingHeld();
  }

  @Test
  void unplugOfADeviceQemuDoesNotKnowCleansUp() {
    String id = plugged();
    h.fake.on("device_del").error("DeviceNotFound", "Device 'virtio-drive-1' not found");
    unplug(id);
    assertThat(h.sent()).containsExactly(BLOCKDEV_ADD, DEVICE_ADD_BRIDGE, DEVICE_DEL, BLOCKDEV_DEL);
    assertNothingHeld();
  }

  @Test
  void unplugWhereQemuIsStillUnplugging() {
    String id = plugged();
    StoredSandbox before = h.stored();
    h.fake
        .on("device_del")
        .error("GenericError", "Device virtio-drive-1 is already in the process of unplug");
    assertThatThrownBy(() -> unplug(id))
        .isInstanceOf(DeviceStillPresentException.class)
        .hasMessageContaining("already in the process of unplug (GenericError); QEMU still lists");
    assertThat(h.stored()).isEqualTo(before);
  }

  /** Changed: the message is {@link Unplug}'s for every kind ("its slot and index", "left"). */
  @Test
  void unplugWhenBlockdevDelFailsAfterTheDeviceIsGone() {
    String id = plugged();
    h.fake.on("blockdev-del").error("GenericError", "Node drive-1 is in use");
    h.fake
        .on("query-named-block-nodes")
        .reply(
            "[{\"node-name\":\"drive-1\",\"drv\":\"raw\",\"ro\":false,\"file\":\"/img/a.raw\"}]");
    assertThatThrownBy(() -> unplug(id))
        .isInstanceOfSatisfying(
            HotplugException.class,
            e -> assertThat(e.leftInPlace()).containsExactly("blockdev drive-1"))
        .hasMessageStartingWith(
            "sandbox sb1: unplug block "
                + id
                + ": the device is gone (its slot and index freed)"
                + " but blockdev-del node-name=drive-1: Node drive-1 is in use")
        .hasMessageEndingWith("; left: blockdev drive-1");
    assertThat(h.last().tx().removedDevices()).extracting(Device::id).containsExactly(id);
    assertNothingHeld();
    // a node that is already gone is no error
    h.fake.on("query-named-block-nodes").reply("[]");
    unplug(plugged());
    assertNothingHeld();
  }

  @Test
  void unplugWhenQemuGoesAwaySaysWhatIsStillTaken() {
    String id = plugged();
    StoredSandbox before = h.stored();
    h.fake.on("device_del").disconnect();
    assertThatThrownBy(() -> unplug(id))
        .isInstanceOf(HotplugException.class)
        .isNotInstanceOf(DeviceStillPresentException.class)
        .hasMessageStartingWith("sandbox sb1: unplug block " + id + ": ")
        .hasMessageEndingWith(
            "; still taken: slot 02/01 (pci-bridge-0), blockdev drive-1, block index 0");
    assertThat(h.stored()).isEqualTo(before);
  }

  /** The state as the fresh sandbox had it, not even rewritten. */
  private void assertNothingSaved() {
    assertThat(h.stored()).isEqualTo(fresh);
    assertThat(h.saves()).isZero();
  }

  private void assertNothingHeld() {
    SandboxModel m = h.model();
    assertThat(m.topology().find("virtio-drive-1")).isEmpty();
    assertThat(m.topology().freeSlots(Placement.PCI_BRIDGE)).isEqualTo(30);
    assertThat(m.topology().freeSlots(Placement.ROOT_PORT)).isEqualTo(2);
    assertThat(m.blockIndexes().size()).isZero();
    assertThat(m.devices().devices()).isEmpty();
    assertThat(m.topology().toPersisted()).allMatch(b -> b.deviceAddr().isEmpty());
  }
}
