package org.vmm4j.core.internal.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DeviceStillPresentException;
import org.vmm4j.core.api.HostException;
import org.vmm4j.core.api.HotplugException;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.persist.DeviceMap;
import org.vmm4j.persist.DeviceState;
import org.vmm4j.persist.NetworkEndpoint;
import org.vmm4j.persist.NetworkInfo;
import org.vmm4j.persist.PhysicalEndpoint;
import org.vmm4j.persist.StoredSandbox;
import org.vmm4j.testing.persist.SampleStates;

/**
 * {@link Unplug}, the one unplug path, and {@link DeviceUnplugs}' refusals, on the state of {@link
 * DeviceTableTest} (every kind, as Kata or vmm4j recorded it): a device QEMU keeps frees nothing;
 * once it is gone the record is forgotten whatever else fails, and a backend QEMU keeps is a
 * leftover thrown after the save.
 */
class UnplugTest {
  private final HotplugHarness h = HotplugHarness.q35();
  private StoredSandbox before;

  @BeforeEach
  void state() {
    h.rewrite(s -> DeviceTableTest.state());
    before = h.stored();
  }

  @AfterEach
  void close() {
    h.close();
  }

  private Device unplug(String id) {
    return h.run(tx -> DeviceUnplugs.unplug(tx, id));
  }

  @Test
  void aDeviceQemuKeepsFreesNothing() {
    h.fake.on("device_del").reply("{}");
    h.peripheralLists("virtio-blk-x");
    assertThatThrownBy(() -> unplug("vub"))
        .isInstanceOfSatisfying(
            DeviceStillPresentException.class,
            e -> {
              assertThat(e.deviceId()).isEqualTo("virtio-blk-x");
              assertThat(e.leftInPlace())
                  .containsExactly("slot 02/03 (pci-bridge-0)", "chardev blk-x", "block index 2");
            })
        .hasMessageStartingWith("sandbox sb1: unplug vhost-user-blk vub: QEMU accepted device_del");
    assertThat(h.stored()).isEqualTo(before);
    assertThat(h.saves()).isZero();
    assertThat(h.last().tx().removedDevices()).isEmpty();
  }

  @Test
  void onceGoneTheRecordIsForgottenAndABackendQemuKeepsIsALeftoverAfterTheSave() {
    h.fake.on("chardev-remove").error("GenericError", "chardev blk-x is busy");
    assertThatThrownBy(() -> unplug("vub"))
        .isInstanceOfSatisfying(
            HotplugException.class,
            e -> assertThat(e.leftInPlace()).containsExactly("chardev blk-x"))
        .hasMessage(
            "sandbox sb1: unplug vhost-user-blk vub: the device is gone (its slot and index freed)"
                + " but chardev-remove id=blk-x: chardev blk-x is busy (GenericError); left:"
                + " chardev blk-x");
    assertThat(h.saves()).isEqualTo(1);
    SandboxModel m = h.model();
    assertThat(m.devices().find("vub")).isEmpty();
    assertThat(m.topology().find("virtio-blk-x")).isEmpty();
    assertThat(m.blockIndexes().isUsed(2)).isFalse();
    assertThat(h.last().stored()).isEqualTo(h.stored());
    assertThat(h.last().tx().removedDevices()).extracting(Device::id).containsExactly("vub");
    assertThat(h.last().tx().requested()).isTrue();
  }

  @Test
  void everyBackendIsTriedAndEachOneKeptIsNamed() {
    h.fake.on("netdev_del").error("GenericError", "netdev busy");
    h.fake.on("chardev-remove").error("GenericError", "chardev busy");
    assertThatThrownBy(() -> unplug("vu0"))
        .isInstanceOfSatisfying(
            HotplugException.class,
            e -> {
              assertThat(e.leftInPlace()).containsExactly("netdev net-vu0", "chardev vu0");
              assertThat(e.getCause()).hasMessageContaining("netdev busy");
              assertThat(e.getCause().getSuppressed()).hasSize(1);
            })
        .hasMessageEndingWith("; left: netdev net-vu0, chardev vu0");
    assertThat(h.names()).containsExactly("device_del", "netdev_del", "chardev-remove");
    assertThat(h.model().endpoints()).hasSize(2);
  }

  @Test
  void aBackendQemuNoLongerHasIsGone() {
    h.fake
        .on("blockdev-del")
        .error("DeviceNotFound", "Failed to find node with node-name='drive-a'");
    unplug("blk-a");
    SandboxModel m = h.model();
    assertThat(m.devices().find("blk-a")).isEmpty();
    assertThat(m.topology().find("virtio-drive-a")).isEmpty();
    assertThat(m.blockIndexes().isUsed(0)).isFalse();
    assertThat(h.names()).containsExactly("device_del", "blockdev-del");
  }

  @Test
  void anUnplugWhoseSaveFailsSaysTheStateStillListsTheDeviceAndTheNextUnplugRecordsIt() {
    h.files.failOn("rename");
    assertThatThrownBy(() -> unplug("blk-a"))
        .isInstanceOfSatisfying(
            HostException.class,
            e -> assertThat(e.leftInPlace()).containsExactly("the state's record of block blk-a"))
        .hasMessageStartingWith("sandbox sb1: unplug block blk-a: save sandbox sb1: ")
        .hasMessageContaining("injected failure of rename")
        .hasMessageEndingWith(
            "; not recorded: block blk-a is gone from QEMU (an unplug cannot be undone) but the"
                + " state still lists it: retry once the state can be saved");
    assertThat(h.stored()).isEqualTo(before);
    assertThat(h.last().recorded()).as("nothing to tell: the state did not change").isFalse();
    assertThat(h.names()).containsExactly("device_del", "blockdev-del");

    h.files.failOn(null);
    h.fake.on("device_del").error("DeviceNotFound", "Device 'virtio-drive-a' not found");
    h.fake.on("blockdev-del").error("GenericError", "Failed to find node with node-name='drive-a'");
    h.fake.on("query-named-block-nodes").reply("[]");
    Device d = unplug("blk-a");
    assertThat(d.id()).isEqualTo("blk-a");
    assertThat(h.model().devices().find("blk-a")).isEmpty();
    assertThat(h.last().recorded()).isTrue();
    assertThat(h.last().tx().removedDevices()).containsExactly(d);
  }

  @Test
  void aKataDiskFreesTheSlotKeyedByItsDriveId() {
    unplug("virtio-drive-b");
    SandboxModel m = h.model();
    assertThat(m.topology().find("drive-b")).isEmpty();
    assertThat(m.blockIndexes().isUsed(1)).isFalse();
    assertThat(h.sent())
        .containsExactly(
            "device_del {\"id\":\"virtio-drive-b\"}", "blockdev-del {\"node-name\":\"drive-b\"}");
  }

  @Test
  void aScsiDiskFreesItsIndexAndNoSlot() {
    unplug("blk-s");
    assertThat(h.model().blockIndexes().isUsed(257)).isFalse();
    assertThat(h.model().topology().toPersisted())
        .isEqualTo(before.sandbox().hypervisorState().bridges());
  }

  @Test
  void aDeviceNotPluggedIsForgottenWithoutAskingQemu() {
    Device d = unplug("idle");
    assertThat(d.qemuDevices()).isEmpty();
    assertThat(h.sent()).isEmpty();
    assertThat(h.model().devices().find("idle")).isEmpty();
  }

  @Test
  void aDimmUnpluggedTakesItsSizeOffTheRecordedMemory() {
    h.fake.on("query-memory-devices").reply(dimms(256));
    h.fake.on("device_del").replyThenDeviceDeleted();
    unplug("dimmmem0");
    assertThat(h.stored().sandbox().hypervisorState().hotpluggedMemory()).isZero();
    assertThat(h.names()).containsExactly("query-memory-devices", "device_del", "object-del");
  }

  @Test
  void aDimmTheStateNeverCountedLeavesNoNegativeMemory() {
    // plugged by a controller killed before it saved: QEMU has it, HotpluggedMemory does not
    h.rewrite(
        s ->
            s.toBuilder()
                .hypervisorState(s.hypervisorState().toBuilder().hotpluggedMemory(0).build())
                .build());
    h.fake.on("query-memory-devices").reply(dimms(256));
    h.fake.on("device_del").replyThenDeviceDeleted();
    unplug("dimmmem0");
    assertThat(h.stored().sandbox().hypervisorState().hotpluggedMemory()).isZero();
  }

  static String dimms(long mib) {
    return "[{\"type\":\"dimm\",\"data\":{\"slot\":0,\"node\":0,\"addr\":4294967296,"
        + "\"memdev\":\"/objects/mem0\",\"id\":\"dimmmem0\",\"hotpluggable\":true,"
        + "\"hotplugged\":true,\"size\":"
        + (mib << 20)
        + "}}]";
  }

  @Test
  void anEndpointWithoutAQemuDeviceIsRefused() {
    h.rewrite(
        s -> {
          List<NetworkEndpoint> eps = new ArrayList<>(s.network().endpoints());
          eps.add(NetworkEndpoint.of(new PhysicalEndpoint("0000:05:00.0", "ixgbe", "8086 10fb")));
          return s.toBuilder().network(new NetworkInfo("/var/run/netns/p", 0, false, eps)).build();
        });
    StoredSandbox with = h.stored();
    assertThatThrownBy(
            () ->
                h.apply(
                    tx ->
                        Unplug.run(
                            tx,
                            DeviceTable.recorded(tx.model()).stream()
                                .filter(r -> r.source().equals(new DeviceRecord.KataEndpoint(3)))
                                .findFirst()
                                .orElseThrow())))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessageEndingWith(
            ": no QEMU device is recorded for it (a physical NIC, or a macvtap whose slot is not in"
                + " Bridges)");
    assertThat(h.sent()).isEmpty();
    assertThat(h.stored()).isEqualTo(with);
  }

  @Test
  void anUnknownIdSaysWhetherQemuHasIt() {
    h.peripheralLists("virtio-other");
    assertThatThrownBy(() -> unplug("virtio-other"))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessage(
            "sandbox sb1: unplug virtio-other: no such device in the state (a DeviceState ID, a"
                + " network endpoint, a hot-plugged vCPU, a hot-plugged memory device); QEMU has a"
                + " device virtio-other that vmm4j did not hot-plug: it stays");
    assertThat(h.names()).containsExactly("qom-list");
  }

  @Test
  void aDiskAContainerUsesOrThatIsSharedIsRefused() {
    h.rewrite(
        s ->
            s.toBuilder()
                .devices(
                    s.devices().stream().map(d -> d.id().equals("blk-b") ? shared(d) : d).toList())
                .build());
    StoredSandbox s = h.stored();
    var c1 =
        SampleStates.container("c1", 1).toBuilder()
            .deviceMaps(List.of(new DeviceMap("blk-a", "/dev/xvda", 0660, 0, 0)))
            .build();
    h.store.save(s.sandbox(), java.util.Map.of("c1", c1));
    h.forgetSaves();
    assertThatThrownBy(() -> unplug("blk-a"))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessage("sandbox sb1: unplug device blk-a: container c1 uses it: remove the container");
    assertThatThrownBy(() -> unplug("blk-b"))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessage(
            "sandbox sb1: unplug device blk-b: it is shared (2 references, 2 attaches): its"
                + " containers must let go of it first");
    assertThat(h.sent()).isEmpty();
    assertThat(h.saves()).isZero();
  }

  private static DeviceState shared(DeviceState d) {
    return d.toBuilder().refCount(2).attachCount(2).build();
  }
}
