package org.vmm4j.core.internal.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.devices.NoFreeSlotException;
import org.vmm4j.devices.Placement;
import org.vmm4j.devices.ScsiAddress;
import org.vmm4j.persist.BlockDrive;
import org.vmm4j.persist.Bridge;
import org.vmm4j.persist.PciPath;

class BlockHotplugTest {
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

  private final HotplugHarness h = HotplugHarness.q35();
  private final BlockHotplug flow = new BlockHotplug(h.ctx);

  @AfterEach
  void close() {
    h.close();
  }

  private static BlockRequest onBridge() {
    return BlockRequest.of("drive-1", "/img/a.raw", BlockDriver.VIRTIO_BLK, Placement.PCI_BRIDGE);
  }

  @Test
  void virtioBlkOnABridge() {
    PluggedBlock b = flow.plug(onBridge());
    assertThat(h.sent()).containsExactly(BLOCKDEV_ADD, DEVICE_ADD_BRIDGE);
    assertThat(b.pciPath()).isEqualTo(PciPath.parse("02/01"));
    assertThat(b.index()).isZero();
    assertThat(b.toBlockDrive())
        .isEqualTo(
            BlockDrive.builder()
                .file("/img/a.raw")
                .format("raw")
                .id("drive-1")
                .index(0)
                .pciPath(PciPath.parse("02/01"))
                .virtPath("/dev/vda")
                .build());
    assertThat(PluggedBlock.fromBlockDrive(b.toBlockDrive())).isEqualTo(b);
    assertThat(h.ctx.topology().toPersisted().get(0))
        .isEqualTo(new Bridge(java.util.Map.of(1L, "virtio-drive-1"), "pci", "pci-bridge-0", 2));
    assertThat(h.ctx.blockIndexes().toPersisted()).containsExactly(0L);
  }

  @Test
  void virtioBlkOnARootPortHasNoAddr() {
    PluggedBlock b =
        flow.plug(
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
    assertThat(b.pciPath()).hasToString("03/00");
    assertThat(b.toBlockDrive().format()).isEqualTo("qcow2");
  }

  @Test
  void scsiDiskAtTheIndexsIdAndLun() {
    for (int i = 0; i < 257; i++) {
      h.ctx.blockIndexes().allocate();
    }
    PluggedBlock b =
        flow.plug(
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
    assertThat(b.scsi()).contains(new ScsiAddress(1, 1));
    assertThat(b.toBlockDrive().scsiAddr()).isEqualTo("1:1");
    assertThat(b.toBlockDrive().pciPath()).isEqualTo(PciPath.NIL);
    assertThat(b.toBlockDrive().virtPath()).isEmpty();
    assertThat(h.ctx.topology().freeSlots(Placement.PCI_BRIDGE)).isEqualTo(30);
    assertThat(PluggedBlock.fromBlockDrive(b.toBlockDrive())).isEqualTo(b);
  }

  @Test
  void rollbackWhenBlockdevAddFails() {
    h.fake.on("blockdev-add").error("GenericError", "Could not open '/img/a.raw'");
    assertThatThrownBy(() -> flow.plug(onBridge()))
        .isInstanceOf(HotplugException.class)
        .hasMessage(
            "sandbox sb1: hotplug virtio-blk disk virtio-drive-1 (/img/a.raw): blockdev-add"
                + " driver=raw node-name=drive-1 read-only=false"
                + " file={\"driver\":\"file\",\"filename\":\"/img/a.raw\"}:"
                + " Could not open '/img/a.raw' (GenericError);"
                + " rolled back: release block index 0");
    assertThat(h.sent()).containsExactly(BLOCKDEV_ADD);
    assertNothingHeld();
  }

  @Test
  void rollbackWhenDeviceAddFails() {
    h.fake.on("device_add").error("GenericError", "Bus 'pci-bridge-0' is full");
    assertThatThrownBy(() -> flow.plug(onBridge()))
        .isInstanceOf(HotplugException.class)
        .hasMessageEndingWith(
            "Bus 'pci-bridge-0' is full (GenericError); rolled back: release slot 02/01"
                + " (pci-bridge-0), blockdev-del drive-1, release block index 0");
    assertThat(h.sent()).containsExactly(BLOCKDEV_ADD, DEVICE_ADD_BRIDGE, BLOCKDEV_DEL);
    assertNothingHeld();
  }

  @Test
  void rollbackWhenNoSlotIsFree() {
    for (int i = 0; i < 30; i++) {
      h.ctx.topology().reserve("other" + i, Placement.PCI_BRIDGE);
    }
    assertThatThrownBy(() -> flow.plug(onBridge()))
        .isInstanceOf(HotplugException.class)
        .hasCauseInstanceOf(NoFreeSlotException.class)
        .hasMessageContaining("no free slot on the pci bridges")
        .hasMessageEndingWith("rolled back: blockdev-del drive-1, release block index 0");
    assertThat(h.sent()).containsExactly(BLOCKDEV_ADD, BLOCKDEV_DEL);
    assertThat(h.ctx.blockIndexes().size()).isZero();
  }

  @Test
  void noBlockIndexLeftSendsNothing() {
    for (int i = 0; i < 65535; i++) {
      h.ctx.blockIndexes().allocate();
    }
    assertThatThrownBy(() -> flow.plug(onBridge()))
        .isInstanceOf(HotplugException.class)
        .hasMessageContaining("all 65535 are in use");
    assertThat(h.sent()).isEmpty();
  }

  @Test
  void q35RootBusIsRefusedBeforeAnyStepExceptTheIndexAndBackendAreUndone() {
    BlockRequest r =
        BlockRequest.of("drive-1", "/img/a.raw", BlockDriver.VIRTIO_BLK, Placement.ROOT_BUS);
    assertThatThrownBy(() -> flow.plug(r))
        .isInstanceOf(HotplugException.class)
        .hasMessageContaining("q35's root bus pcie.0 does not support hotplug");
    assertThat(h.sent()).containsExactly(BLOCKDEV_ADD, BLOCKDEV_DEL);
    assertNothingHeld();
  }

  @Test
  void deviceAddWithoutAnswerAndNotCreated() {
    h.fake.on("device_add").delay(Duration.ofMillis(800)).reply("{}");
    BlockHotplug quick = new BlockHotplug(h.shortCommands());
    assertThatThrownBy(() -> quick.plug(onBridge()))
        .isInstanceOf(HotplugException.class)
        .hasMessageContaining("no reply within 500 ms")
        .hasMessageEndingWith(
            "rolled back: device_del virtio-drive-1 if QEMU created it, release slot 02/01"
                + " (pci-bridge-0), blockdev-del drive-1, release block index 0");
    assertThat(h.sent()).containsExactly(BLOCKDEV_ADD, DEVICE_ADD_BRIDGE, QOM_LIST, BLOCKDEV_DEL);
    assertNothingHeld();
  }

  @Test
  void deviceAddWithoutAnswerButCreatedIsRemovedFirst() {
    h.fake.on("device_add").delay(Duration.ofMillis(800)).reply("{}");
    h.peripheralLists("virtio-drive-1");
    h.fake.on("device_del").replyThenDeviceDeleted();
    BlockHotplug quick = new BlockHotplug(h.shortCommands());
    assertThatThrownBy(() -> quick.plug(onBridge())).isInstanceOf(HotplugException.class);
    assertThat(h.sent())
        .containsExactly(BLOCKDEV_ADD, DEVICE_ADD_BRIDGE, QOM_LIST, DEVICE_DEL, BLOCKDEV_DEL);
    assertNothingHeld();
  }

  @Test
  void aFailingUndoStopsTheRollbackAndSaysWhatIsLeft() {
    h.fake.on("device_add").error("GenericError", "no");
    h.fake.on("blockdev-del").error("GenericError", "Node drive-1 is in use");
    HotplugException e = catchPlug(onBridge());
    assertThat(e.leftInPlace()).containsExactly("blockdev-del drive-1", "release block index 0");
    assertThat(e.getMessage())
        .endsWith(
            "rolled back: release slot 02/01 (pci-bridge-0); rollback stopped: blockdev-del"
                + " drive-1: blockdev-del node-name=drive-1: Node drive-1 is in use (GenericError);"
                + " left in place: blockdev-del drive-1, release block index 0");
    assertThat(e.getCause().getSuppressed()).hasSize(1);
    assertThat(h.ctx.topology().freeSlots(Placement.PCI_BRIDGE)).isEqualTo(30);
    assertThat(h.ctx.blockIndexes().isUsed(0)).isTrue();
  }

  private HotplugException catchPlug(BlockRequest r) {
    try {
      flow.plug(r);
    } catch (HotplugException e) {
      return e;
    }
    throw new AssertionError("plug succeeded");
  }

  @Test
  void unplugWaitsForTheEventThenFreesBackendSlotAndIndex() {
    PluggedBlock b = flow.plug(onBridge());
    flow.unplug(b);
    assertThat(h.sent()).containsExactly(BLOCKDEV_ADD, DEVICE_ADD_BRIDGE, DEVICE_DEL, BLOCKDEV_DEL);
    assertNothingHeld();
    // the slot and index are free for the next disk
    assertThat(flow.plug(onBridge()).pciPath()).hasToString("02/01");
  }

  @Test
  void unplugFreesASlotKataKeyedByTheDriveId() {
    PluggedBlock b = flow.plug(onBridge());
    // Kata's DeviceAddr names the drive ("drive-1"), not the QEMU device
    h.ctx.topology().release(h.ctx.topology().find("virtio-drive-1").orElseThrow());
    h.ctx.topology().commit(h.ctx.topology().reserveOn("drive-1", "pci-bridge-0"));
    flow.unplug(b);
    assertThat(h.ctx.topology().find("drive-1")).isEmpty();
    assertThat(h.ctx.topology().toPersisted().get(0).deviceAddr()).isEmpty();
  }

  @Test
  void unplugTimeoutWithTheDeviceStillThereKeepsEverything() {
    PluggedBlock b = flow.plug(onBridge());
    h.fake.on("device_del").reply("{}"); // accepted, no event: the model keeps the device
    assertThatThrownBy(() -> flow.unplug(b))
        .isInstanceOf(DeviceStillPresentException.class)
        .hasMessage(
            "sandbox sb1: unplug disk virtio-drive-1: QEMU accepted device_del but sent no"
                + " DEVICE_DELETED within 300 ms and still lists virtio-drive-1 under"
                + " /machine/peripheral (the guest has not released it); still taken: slot 02/01"
                + " (pci-bridge-0), blockdev drive-1, block index 0");
    assertThat(h.sent()).containsExactly(BLOCKDEV_ADD, DEVICE_ADD_BRIDGE, DEVICE_DEL, QOM_LIST);
    assertThat(h.ctx.topology().find("virtio-drive-1")).isPresent();
    assertThat(h.ctx.topology().toPersisted().get(0).deviceAddr()).containsKey(1L);
    assertThat(h.ctx.blockIndexes().isUsed(0)).isTrue();
  }

  @Test
  void unplugTimeoutWithTheDeviceGoneFinishesTheCleanup() {
    PluggedBlock b = flow.plug(onBridge());
    h.fake.on("device_del").reply("{}");
    h.peripheralLists(); // gone, the event was missed
    flow.unplug(b);
    assertThat(h.sent())
        .containsExactly(BLOCKDEV_ADD, DEVICE_ADD_BRIDGE, DEVICE_DEL, QOM_LIST, BLOCKDEV_DEL);
    assertNothingHeld();
  }

  @Test
  void unplugOfADeviceQemuDoesNotKnowCleansUp() {
    PluggedBlock b = flow.plug(onBridge());
    h.fake.on("device_del").error("DeviceNotFound", "Device 'virtio-drive-1' not found");
    flow.unplug(b);
    assertThat(h.sent()).containsExactly(BLOCKDEV_ADD, DEVICE_ADD_BRIDGE, DEVICE_DEL, BLOCKDEV_DEL);
    assertNothingHeld();
  }

  @Test
  void unplugWhereQemuIsStillUnplugging() {
    PluggedBlock b = flow.plug(onBridge());
    h.fake
        .on("device_del")
        .error("GenericError", "Device virtio-drive-1 is already in the process of unplug");
    assertThatThrownBy(() -> flow.unplug(b))
        .isInstanceOf(DeviceStillPresentException.class)
        .hasMessageContaining("already in the process of unplug (GenericError); QEMU still lists");
    assertThat(h.ctx.topology().find("virtio-drive-1")).isPresent();
  }

  @Test
  void unplugWhenBlockdevDelFailsAfterTheDeviceIsGone() {
    PluggedBlock b = flow.plug(onBridge());
    h.fake.on("blockdev-del").error("GenericError", "Node drive-1 is in use");
    h.fake
        .on("query-named-block-nodes")
        .reply(
            "[{\"node-name\":\"drive-1\",\"drv\":\"raw\",\"ro\":false,\"file\":\"/img/a.raw\"}]");
    assertThatThrownBy(() -> flow.unplug(b))
        .isInstanceOf(HotplugException.class)
        .hasMessageStartingWith(
            "sandbox sb1: unplug disk virtio-drive-1: the device is gone (slot and index freed)"
                + " but blockdev-del node-name=drive-1: Node drive-1 is in use");
    assertNothingHeld();
    // a node that is already gone is no error
    h.fake.on("query-named-block-nodes").reply("[]");
    flow.unplug(flow.plug(onBridge()));
    assertNothingHeld();
  }

  @Test
  void unplugWhenQemuGoesAwaySaysWhatIsStillTaken() {
    PluggedBlock b = flow.plug(onBridge());
    h.fake.on("device_del").disconnect();
    assertThatThrownBy(() -> flow.unplug(b))
        .isInstanceOf(HotplugException.class)
        .isNotInstanceOf(DeviceStillPresentException.class)
        .hasMessageStartingWith("sandbox sb1: unplug disk virtio-drive-1: ")
        .hasMessageEndingWith(
            "; still taken: slot 02/01 (pci-bridge-0), blockdev drive-1, block index 0");
    assertThat(h.ctx.topology().find("virtio-drive-1")).isPresent();
    assertThat(h.ctx.blockIndexes().isUsed(0)).isTrue();
  }

  @Test
  void unplugOfARestoredDrive() {
    BlockDrive persisted = flow.plug(onBridge()).toBlockDrive();
    flow.unplug(PluggedBlock.fromBlockDrive(persisted));
    assertNothingHeld();
    assertThat(h.names()).endsWith("device_del", "blockdev-del");
  }

  private void assertNothingHeld() {
    assertThat(h.ctx.topology().find("virtio-drive-1")).isEmpty();
    assertThat(h.ctx.topology().freeSlots(Placement.PCI_BRIDGE)).isEqualTo(30);
    assertThat(h.ctx.topology().freeSlots(Placement.ROOT_PORT)).isEqualTo(2);
    assertThat(h.ctx.blockIndexes().size()).isZero();
    assertThat(h.ctx.topology().toPersisted()).allMatch(b -> b.deviceAddr().isEmpty());
  }

  static List<String> none() {
    return List.of();
  }
}
