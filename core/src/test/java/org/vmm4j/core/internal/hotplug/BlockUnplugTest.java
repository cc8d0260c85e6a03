package org.vmm4j.core.internal.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DeviceKind;
import org.vmm4j.core.api.DeviceStillPresentException;
import org.vmm4j.core.api.HotplugException;
import org.vmm4j.devices.Placement;
import org.vmm4j.persist.BlockDrive;
import org.vmm4j.persist.StoredSandbox;

/**
 * The unplug of a disk {@link BlockPlug} plugged, read back from the state ({@link Unplug}): {@code
 * device_del} and {@code DEVICE_DELETED}, past the deadline {@code qom-list}'s word, then {@code
 * blockdev-del}; the slot (also one Kata keyed by the drive id) and the index freed only once the
 * device is gone.
 */
class BlockUnplugTest {
  static final String BLOCKDEV_ADD = BlockPlugTest.BLOCKDEV_ADD;
  static final String DEVICE_ADD_BRIDGE = BlockPlugTest.DEVICE_ADD_BRIDGE;
  static final String BLOCKDEV_DEL = BlockPlugTest.BLOCKDEV_DEL;
  static final String DEVICE_DEL = BlockPlugTest.DEVICE_DEL;
  static final String QOM_LIST = BlockPlugTest.QOM_LIST;

  private final HotplugHarness h = HotplugHarness.q35();

  @AfterEach
  void close() {
    h.close();
  }

  private BlockDrive plug(BlockRequest r) {
    return h.run(tx -> BlockPlug.plug(tx, r));
  }

  /** Plugs and records the disk in {@code Devices}; returns its id. */
  private String plugged() {
    String id =
        h.run(
            tx -> HotplugHarness.recordDisk(tx, BlockPlug.plug(tx, BlockPlugTest.onBridge())).id());
    h.forgetSaves();
    return id;
  }

  private Device unplug(String id) {
    return h.run(tx -> DeviceUnplugs.unplug(tx, id));
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
    assertThat(plug(BlockPlugTest.onBridge()).pciPath()).hasToString("02/01");
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
