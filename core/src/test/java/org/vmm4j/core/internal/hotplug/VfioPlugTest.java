package org.vmm4j.core.internal.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DeviceKind;
import org.vmm4j.core.api.DeviceStillPresentException;
import org.vmm4j.core.api.HotplugException;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.core.api.MachineType;
import org.vmm4j.devices.Attachment;
import org.vmm4j.devices.HostDevice;
import org.vmm4j.devices.Placement;
import org.vmm4j.devices.VfioDeviceType;
import org.vmm4j.devices.VfioGroup;
import org.vmm4j.devices.VfioHostDevice;
import org.vmm4j.persist.DeviceState;
import org.vmm4j.persist.PciPath;
import org.vmm4j.persist.StoredSandbox;
import org.vmm4j.persist.VfioDev;

/**
 * {@link VfioPlug} in a transaction: every member of the group or none, each on its own slot; a
 * rollback that cannot unplug a member saves its slot as taken; the unplug of the group read back
 * from the state, last member first, and of part of it ({@link Unplug}).
 */
class VfioPlugTest {
  static final String MDEV =
      "/sys/devices/pci0000:00/0000:02:00.0/83b8f4f2-509f-382f-3c1e-e6bfe0fa1001";
  static final VfioGroup GROUP =
      new VfioGroup(
          12,
          List.of(
              new VfioHostDevice(
                  VfioDeviceType.NORMAL,
                  "0000:02:00.0",
                  "/sys/bus/pci/devices/0000:02:00.0",
                  "",
                  true,
                  0x030000,
                  0x10de,
                  0x1db6,
                  Optional.of("vfio-pci")),
              new VfioHostDevice(
                  VfioDeviceType.MEDIATED,
                  "0000:02:00.0",
                  MDEV,
                  "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001",
                  false,
                  0x030000,
                  0x10de,
                  0x1db6,
                  Optional.of("vfio_mdev"))));
  static final String ADD0 =
      "device_add {\"driver\":\"vfio-pci\",\"id\":\"vfio-abc0\",\"host\":\"0000:02:00.0\","
          + "\"romfile\":\"\",\"bus\":\"rp0\"}";
  static final String ADD1 =
      "device_add {\"driver\":\"vfio-pci\",\"id\":\"vfio-abc1\",\"sysfsdev\":\""
          + MDEV
          + "\","
          + "\"romfile\":\"\",\"bus\":\"rp1\"}";
  static final String DEL0 = "device_del {\"id\":\"vfio-abc0\"}";
  static final String DEL1 = "device_del {\"id\":\"vfio-abc1\"}";
  static final VfioDev DEV0 =
      new VfioDev("vfio-abc0", 1, "02:00.0", "/sys/bus/pci/devices/0000:02:00.0");
  static final VfioDev DEV1 = new VfioDev("vfio-abc1", 2, "", MDEV);

  private final HotplugHarness h = HotplugHarness.q35();
  private final StoredSandbox fresh = h.stored();
  private final VfioRequest request = new VfioRequest("abc", GROUP, Placement.ROOT_PORT);

  @AfterEach
  void close() {
    h.close();
  }

  private List<VfioPlug.Member> plug(VfioRequest r) {
    return h.run(tx -> VfioPlug.plug(tx, r));
  }

  /** Plugs the group and records it in {@code Devices}; returns its id. */
  private String plugged() {
    String id =
        h.run(
            tx -> {
              List<VfioDev> devs =
                  VfioPlug.plug(tx, request).stream().map(VfioPlug.Member::dev).toList();
              HostDevice info = HostDevice.vfio("/dev/vfio/12", 243, 12);
              return HotplugHarness.record(tx, info, new Attachment.Vfio(devs)).id();
            });
    h.forgetSaves();
    return id;
  }

  private Device unplug(String id) {
    return h.run(tx -> DeviceUnplugs.unplug(tx, id));
  }

  @Test
  void everyMemberOnItsOwnRootPort() {
    List<VfioPlug.Member> v = plug(request);
    assertThat(h.sent()).containsExactly(ADD0, ADD1);
    assertThat(v)
        .containsExactly(
            new VfioPlug.Member(DEV0, PciPath.parse("03/00")),
            new VfioPlug.Member(DEV1, PciPath.parse("04/00")));
    var bridges = h.stored().sandbox().hypervisorState().bridges();
    assertThat(bridges.get(1).deviceAddr()).containsEntry(0L, "vfio-abc0");
    assertThat(bridges.get(2).deviceAddr()).containsEntry(0L, "vfio-abc1");
  }

  @Test
  void theGroupReadBackFromTheState() {
    String id = plugged();
    DeviceRecord r = DeviceTable.find(h.model(), id, h.qmp, h.deadlines).orElseThrow();
    assertThat(r.kind()).isEqualTo(DeviceKind.VFIO);
    assertThat(r.device().qemuDevices())
        .extracting(Device.QemuDevice::id, Device.QemuDevice::pciPath)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("vfio-abc0", PciPath.parse("03/00")),
            org.assertj.core.groups.Tuple.tuple("vfio-abc1", PciPath.parse("04/00")));
    // the state keeps no host path for a VFIO device: the group is not known, not ""
    assertThat(r.device().qemuDevices().get(1).details())
        .containsEntry("host", MDEV)
        .doesNotContainKey("group");
    assertThat(r.slotKeys()).containsExactly("vfio-abc0", "vfio-abc1");
    assertThat(r.device().lines()).hasSize(2);
  }

  @Test
  void theGroupIsKnownInTheTransactionThatPluggedIt() {
    DeviceRecord r =
        h.run(
            tx -> {
              List<VfioDev> devs =
                  VfioPlug.plug(tx, request).stream().map(VfioPlug.Member::dev).toList();
              HostDevice info = HostDevice.vfio("/dev/vfio/12", 243, 12);
              var md = HotplugHarness.record(tx, info, new Attachment.Vfio(devs));
              return DeviceTable.of(md, tx.model().topology());
            });
    assertThat(r.device().details()).containsEntry("group", "12");
  }

  @Test
  void onABridgeEachMemberTakesASlotWithAddr() {
    plug(new VfioRequest("abc", GROUP, Placement.PCI_BRIDGE));
    assertThat(h.sent())
        .containsExactly(
            "device_add {\"driver\":\"vfio-pci\",\"id\":\"vfio-abc0\",\"host\":\"0000:02:00.0\","
                + "\"romfile\":\"\",\"bus\":\"pci-bridge-0\",\"addr\":\"01\"}",
            "device_add {\"driver\":\"vfio-pci\",\"id\":\"vfio-abc1\",\"sysfsdev\":\""
                + MDEV
                + "\",\"romfile\":\"\",\"bus\":\"pci-bridge-0\",\"addr\":\"02\"}");
  }

  @Test
  void idsAreKatasTruncatedTo31() {
    VfioRequest r = new VfioRequest("0123456789abcdef0123456789", GROUP, Placement.ROOT_PORT);
    assertThat(r.memberId(1)).isEqualTo("vfio-0123456789abcdef0123456789").hasSize(31);
  }

  @Test
  void aFailingMemberUnplugsTheOnesBeforeIt() {
    h.fake
        .on("device_add", c -> "vfio-abc1".equals(c.arg("id")))
        .error("GenericError", "vfio: mdev not available");
    assertThatThrownBy(() -> plug(request))
        .isInstanceOf(HotplugException.class)
        .hasMessageStartingWith("sandbox sb1: hotplug VFIO group 12 (2 device(s)) as vfio-abc0: ")
        .hasMessageEndingWith(
            "vfio: mdev not available (GenericError); rolled back: release slot 04/00 (rp1),"
                + " device_del vfio-abc0, release slot 03/00 (rp0)");
    assertThat(h.sent()).containsExactly(ADD0, ADD1, DEL0);
    assertNothingSaved();
  }

  @Test
  void aFailingFirstMemberLeavesNothing() {
    h.fake.on("device_add").error("GenericError", "vfio 0000:02:00.0: no such host device");
    assertThatThrownBy(() -> plug(request))
        .hasMessageEndingWith("rolled back: release slot 03/00 (rp0)");
    assertThat(h.sent()).containsExactly(ADD0);
    assertNothingSaved();
  }

  /** Changed: no free slot is a refusal now (it was a HotplugException), after the rollback. */
  @Test
  void noFreeRootPortForTheSecondMember() {
    h.seed(m -> m.topology().commit(m.topology().reserve("other", Placement.ROOT_PORT)));
    StoredSandbox before = h.stored();
    assertThatThrownBy(() -> plug(request))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessageContaining("no free slot on the root ports")
        .hasMessageEndingWith("rolled back: device_del vfio-abc0, release slot 04/00 (rp1)");
    assertThat(h.sent()).containsExactly(ADD0.replace("rp0", "rp1"), DEL0);
    assertThat(h.stored()).isEqualTo(before);
  }

  @Test
  void aMemberThatWillNotLeaveKeepsItsSlotInTheSavedState() {
    h.fake.on("device_add", c -> "vfio-abc1".equals(c.arg("id"))).error("GenericError", "no");
    h.fake.on("device_del").reply("{}"); // never released
    HotplugException e = catchPlug();
    assertThat(e.leftInPlace()).containsExactly("device_del vfio-abc0", "release slot 03/00 (rp0)");
    SandboxModel m = h.model();
    assertThat(m.topology().find("vfio-abc0"))
        .hasValueSatisfying(s -> assertThat(m.topology().isCommitted(s)).isTrue());
    assertThat(m.topology().toPersisted().get(1).deviceAddr()).containsEntry(0L, "vfio-abc0");
    assertThat(m.topology().find("vfio-abc1")).isEmpty();
    assertThat(h.saves()).isEqualTo(1);
  }

  private HotplugException catchPlug() {
    try {
      plug(request);
    } catch (HotplugException e) {
      return e;
    }
    throw new AssertionError("plug succeeded");
  }

  @Test
  void unplugLastMemberFirst() {
    String id = plugged();
    Device d = unplug(id);
    assertThat(d.qemuDevices()).hasSize(2);
    assertThat(h.sent()).containsExactly(ADD0, ADD1, DEL1, DEL0);
    assertNothingHeld();
    assertThat(h.stored().sandbox().devices()).isEmpty();
  }

  @Test
  void unplugStopsAtAMemberStillThere() {
    String id = plugged();
    StoredSandbox before = h.stored();
    h.fake.on("device_del").reply("{}");
    assertThatThrownBy(() -> unplug(id))
        .isInstanceOf(DeviceStillPresentException.class)
        .hasMessageStartingWith("sandbox sb1: unplug vfio " + id + ": ")
        .hasMessageEndingWith("still taken: slot 04/00 (rp1), device vfio-abc0");
    assertThat(h.stored()).isEqualTo(before);
    assertThat(h.saves()).isZero();
  }

  @Test
  void aPartialUnplugDropsTheMembersThatAreGone() {
    String id = plugged();
    h.fake.on("device_del", c -> "vfio-abc0".equals(c.arg("id"))).reply("{}"); // stays
    assertThatThrownBy(() -> unplug(id))
        .isInstanceOfSatisfying(
            DeviceStillPresentException.class, e -> assertThat(e.deviceId()).isEqualTo("vfio-abc0"))
        .hasMessageEndingWith("still taken: slot 03/00 (rp0)");
    assertThat(h.sent())
        .containsExactly(ADD0, ADD1, DEL1, DEL0, "qom-list {\"path\":\"/machine/peripheral\"}");
    DeviceState left = h.stored().sandbox().devices().get(0);
    assertThat(left.id()).isEqualTo(id);
    assertThat(left.vfioDevs()).containsExactly(DEV0);
    SandboxModel m = h.model();
    assertThat(m.topology().find("vfio-abc1")).isEmpty();
    assertThat(m.topology().find("vfio-abc0")).isPresent();
    // a retry finishes: the record now has the one member
    h.fake.on("device_del").replyThenDeviceDeleted();
    assertThat(unplug(id).qemuDevices())
        .extracting(Device.QemuDevice::id)
        .containsExactly("vfio-abc0");
    assertNothingHeld();
  }

  @Test
  void rootBusOnPcTakesNoSlotAndReadsThePathFromQueryPci() {
    try (HotplugHarness pc = HotplugHarness.pc()) {
      pc.fake
          .on("query-pci")
          .reply(
              "[{\"bus\":0,\"devices\":[{\"bus\":0,\"slot\":5,\"function\":0,\"irq_pin\":0,"
                  + "\"class_info\":{\"class\":768},\"id\":{\"vendor\":4318,\"device\":7606},"
                  + "\"qdev_id\":\"vfio-abc0\",\"regions\":[]}]}]");
      VfioGroup one = new VfioGroup(12, List.of(GROUP.members().get(0)));
      List<VfioPlug.Member> v =
          pc.run(tx -> VfioPlug.plug(tx, new VfioRequest("abc", one, Placement.ROOT_BUS)));
      assertThat(pc.sent())
          .containsExactly(
              "device_add {\"driver\":\"vfio-pci\",\"id\":\"vfio-abc0\",\"host\":\"0000:02:00.0\","
                  + "\"romfile\":\"\"}",
              "query-pci");
      assertThat(v.get(0).pciPath()).hasToString("05");
      assertThat(pc.model().topology().freeSlots(Placement.PCI_BRIDGE)).isEqualTo(30);
    }
  }

  @Test
  void defaultPlacement() {
    SandboxModel q35 = h.model();
    assertThat(VfioRequest.defaultPlacement(MachineType.Q35, false, q35.topology()))
        .isEqualTo(Placement.ROOT_PORT);
    assertThat(VfioRequest.defaultPlacement(MachineType.Q35, true, q35.topology()))
        .isEqualTo(Placement.ROOT_PORT);
    try (HotplugHarness pc = HotplugHarness.pc()) {
      SandboxModel m = pc.model();
      assertThat(VfioRequest.defaultPlacement(MachineType.PC, true, m.topology()))
          .isEqualTo(Placement.ROOT_BUS);
      assertThat(VfioRequest.defaultPlacement(MachineType.PC, false, m.topology()))
          .isEqualTo(Placement.PCI_BRIDGE);
    }
  }

  private void assertNothingSaved() {
    assertThat(h.stored()).isEqualTo(fresh);
    assertThat(h.saves()).isZero();
  }

  private void assertNothingHeld() {
    SandboxModel m = h.model();
    assertThat(m.topology().freeSlots(Placement.ROOT_PORT)).isEqualTo(2);
    assertThat(m.topology().freeSlots(Placement.PCI_BRIDGE)).isEqualTo(30);
    assertThat(m.topology().toPersisted()).allMatch(b -> b.deviceAddr().isEmpty());
    assertThat(m.devices().devices()).isEmpty();
  }
}
