package org.vmm4j.core.internal.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.MachineType;
import org.vmm4j.devices.Placement;
import org.vmm4j.devices.VfioDeviceType;
import org.vmm4j.devices.VfioGroup;
import org.vmm4j.devices.VfioHostDevice;
import org.vmm4j.persist.PciPath;
import org.vmm4j.persist.VfioDev;

class VfioHotplugTest {
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

  private final HotplugHarness h = HotplugHarness.q35();
  private final VfioHotplug flow = new VfioHotplug(h.ctx);
  private final VfioRequest request = new VfioRequest("abc", GROUP, Placement.ROOT_PORT);

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void everyMemberOnItsOwnRootPort() {
    PluggedVfio v = flow.plug(request);
    assertThat(h.sent()).containsExactly(ADD0, ADD1);
    assertThat(v.members())
        .extracting(PluggedVfio.Member::pciPath)
        .containsExactly(PciPath.parse("03/00"), PciPath.parse("04/00"));
    assertThat(v.toVfioDevs())
        .containsExactly(
            new VfioDev("vfio-abc0", 1, "02:00.0", "/sys/bus/pci/devices/0000:02:00.0"),
            new VfioDev("vfio-abc1", 2, "", MDEV));
    assertThat(h.ctx.topology().toPersisted().get(1).deviceAddr()).containsEntry(0L, "vfio-abc0");
    assertThat(h.ctx.topology().toPersisted().get(2).deviceAddr()).containsEntry(0L, "vfio-abc1");
    assertThat(PluggedVfio.fromVfioDevs("abc", v.toVfioDevs()).toVfioDevs())
        .isEqualTo(v.toVfioDevs());
  }

  @Test
  void onABridgeEachMemberTakesASlotWithAddr() {
    flow.plug(new VfioRequest("abc", GROUP, Placement.PCI_BRIDGE));
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
    assertThatThrownBy(() -> flow.plug(request))
        .isInstanceOf(HotplugException.class)
        .hasMessageEndingWith(
            "vfio: mdev not available (GenericError); rolled back: release slot 04/00 (rp1),"
                + " device_del vfio-abc0, release slot 03/00 (rp0)");
    assertThat(h.sent()).containsExactly(ADD0, ADD1, "device_del {\"id\":\"vfio-abc0\"}");
    assertNothingHeld();
  }

  @Test
  void aFailingFirstMemberLeavesNothing() {
    h.fake.on("device_add").error("GenericError", "vfio 0000:02:00.0: no such host device");
    assertThatThrownBy(() -> flow.plug(request))
        .hasMessageEndingWith("rolled back: release slot 03/00 (rp0)");
    assertThat(h.sent()).containsExactly(ADD0);
    assertNothingHeld();
  }

  @Test
  void noFreeRootPortForTheSecondMember() {
    h.ctx.topology().reserve("other", Placement.ROOT_PORT);
    assertThatThrownBy(() -> flow.plug(request))
        .hasMessageContaining("no free slot on the root ports")
        .hasMessageEndingWith("rolled back: device_del vfio-abc0, release slot 04/00 (rp1)");
    assertThat(h.sent())
        .containsExactly(ADD0.replace("rp0", "rp1"), "device_del {\"id\":\"vfio-abc0\"}");
    assertThat(h.ctx.topology().freeSlots(Placement.ROOT_PORT)).isEqualTo(1);
  }

  @Test
  void aMemberThatWillNotLeaveKeepsItsSlot() {
    h.fake.on("device_add", c -> "vfio-abc1".equals(c.arg("id"))).error("GenericError", "no");
    h.fake.on("device_del").reply("{}"); // never released
    HotplugException e = catchPlug();
    assertThat(e.leftInPlace()).containsExactly("device_del vfio-abc0", "release slot 03/00 (rp0)");
    assertThat(h.ctx.topology().find("vfio-abc0")).isPresent();
    assertThat(h.ctx.topology().toPersisted().get(1).deviceAddr()).containsEntry(0L, "vfio-abc0");
    assertThat(h.ctx.topology().find("vfio-abc1")).isEmpty();
  }

  private HotplugException catchPlug() {
    try {
      flow.plug(request);
    } catch (HotplugException e) {
      return e;
    }
    throw new AssertionError("plug succeeded");
  }

  @Test
  void unplugLastMemberFirst() {
    PluggedVfio v = flow.plug(request);
    flow.unplug(v);
    assertThat(h.sent())
        .containsExactly(
            ADD0, ADD1, "device_del {\"id\":\"vfio-abc1\"}", "device_del {\"id\":\"vfio-abc0\"}");
    assertNothingHeld();
  }

  @Test
  void unplugStopsAtAMemberStillThere() {
    PluggedVfio v = flow.plug(request);
    h.fake.on("device_del").reply("{}");
    assertThatThrownBy(() -> flow.unplug(v))
        .isInstanceOf(DeviceStillPresentException.class)
        .hasMessageEndingWith("still taken: slot 04/00 (rp1), device vfio-abc0");
    assertThat(h.ctx.topology().freeSlots(Placement.ROOT_PORT)).isZero();
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
      PluggedVfio v = new VfioHotplug(pc.ctx).plug(new VfioRequest("abc", one, Placement.ROOT_BUS));
      assertThat(pc.sent())
          .containsExactly(
              "device_add {\"driver\":\"vfio-pci\",\"id\":\"vfio-abc0\",\"host\":\"0000:02:00.0\","
                  + "\"romfile\":\"\"}",
              "query-pci");
      assertThat(v.members().get(0).pciPath()).hasToString("05");
      assertThat(pc.ctx.topology().freeSlots(Placement.PCI_BRIDGE)).isEqualTo(30);
    }
  }

  @Test
  void defaultPlacement() {
    assertThat(VfioRequest.defaultPlacement(MachineType.Q35, false, h.ctx.topology()))
        .isEqualTo(Placement.ROOT_PORT);
    assertThat(VfioRequest.defaultPlacement(MachineType.Q35, true, h.ctx.topology()))
        .isEqualTo(Placement.ROOT_PORT);
    try (HotplugHarness pc = HotplugHarness.pc()) {
      assertThat(VfioRequest.defaultPlacement(MachineType.PC, true, pc.ctx.topology()))
          .isEqualTo(Placement.ROOT_BUS);
      assertThat(VfioRequest.defaultPlacement(MachineType.PC, false, pc.ctx.topology()))
          .isEqualTo(Placement.PCI_BRIDGE);
    }
  }

  private void assertNothingHeld() {
    assertThat(h.ctx.topology().freeSlots(Placement.ROOT_PORT)).isEqualTo(2);
    assertThat(h.ctx.topology().freeSlots(Placement.PCI_BRIDGE)).isEqualTo(30);
    assertThat(h.ctx.topology().toPersisted()).allMatch(b -> b.deviceAddr().isEmpty());
  }
}
