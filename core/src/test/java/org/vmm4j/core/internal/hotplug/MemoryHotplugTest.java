package org.vmm4j.core.internal.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.internal.qemu.GuestMemory;
import org.vmm4j.devices.Placement;

class MemoryHotplugTest {
  static final String QUERY = "query-memory-devices";
  static final String OBJECT_ADD_RAM =
      "object-add {\"qom-type\":\"memory-backend-ram\",\"id\":\"mem0\",\"size\":268435456}";
  static final String DIMM_ADD =
      "device_add {\"driver\":\"pc-dimm\",\"id\":\"dimmmem0\",\"memdev\":\"mem0\"}";
  static final MemoryLimits LIMITS = new MemoryLimits(512, 4, 2048, false);

  private HotplugHarness h = HotplugHarness.q35(HotplugHarness.PLAIN);

  @AfterEach
  void close() {
    h.close();
  }

  private MemoryHotplug memory(MemoryLimits limits, long hotplugged) {
    return new MemoryHotplug(h.ctx, limits, hotplugged);
  }

  static String dimm(int slot, String id, long mib) {
    return "{\"type\":\"dimm\",\"data\":{\"slot\":"
        + slot
        + ",\"node\":0,\"addr\":4294967296,"
        + "\"memdev\":\"/objects/mem"
        + slot
        + "\",\"id\":\""
        + id
        + "\",\"hotpluggable\":true,"
        + "\"hotplugged\":true,\"size\":"
        + (mib << 20)
        + "}}";
  }

  @Test
  void aDimmWithGuestRamsKindOfBackend() {
    h.fake.on(QUERY).reply("[]");
    MemoryHotplug m = memory(LIMITS, 0);
    assertThat(m.add(256)).isEqualTo(256);
    assertThat(h.sent()).containsExactly(QUERY, OBJECT_ADD_RAM, DIMM_ADD);
    assertThat(m.hotpluggedMiB()).isEqualTo(256);
  }

  @Test
  void sharedFileBackendsAndTheNextNumberAfterAnNvdimm() {
    h.close();
    h = HotplugHarness.q35(new GuestMemory(GuestMemory.FILE, "/dev/hugepages", true, true));
    h.fake
        .on(QUERY)
        .reply(
            "[{\"type\":\"nvdimm\",\"data\":{\"slot\":0,\"node\":0,\"addr\":0,\"memdev\":"
                + "\"/objects/mem0\",\"id\":\"nv0\",\"hotpluggable\":true,\"hotplugged\":false,"
                + "\"size\":1048576}}]");
    memory(LIMITS, 0).add(256);
    assertThat(h.sent())
        .containsExactly(
            QUERY,
            "object-add {\"qom-type\":\"memory-backend-file\",\"id\":\"mem1\",\"size\":268435456,"
                + "\"mem-path\":\"/dev/hugepages\",\"share\":true,\"prealloc\":true}",
            "device_add {\"driver\":\"pc-dimm\",\"id\":\"dimmmem1\",\"memdev\":\"mem1\"}");
  }

  @Test
  void refusedBeyondMaxmemOrSlots() {
    assertThatThrownBy(() -> memory(LIMITS, 1024).add(1024))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessage(
            "sandbox sb1: add 1024 MiB of memory: the sandbox has 1536 MiB and maxmem is 2048 MiB");
    assertThat(h.sent()).isEmpty();
    h.fake.on(QUERY).reply("[" + dimm(0, "dimmmem0", 128) + "," + dimm(1, "dimmmem1", 128) + "]");
    assertThatThrownBy(() -> memory(new MemoryLimits(512, 2, 2048, false), 256).add(128))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessage("sandbox sb1: add 128 MiB of memory: all 2 memory slots are in use (MemSlots)");
    assertThat(h.sent()).containsExactly(QUERY);
  }

  @Test
  void rollbackWhenObjectAddFails() {
    h.fake.on(QUERY).reply("[]");
    h.fake.on("object-add").error("GenericError", "cannot allocate");
    MemoryHotplug m = memory(LIMITS, 0);
    assertThatThrownBy(() -> m.add(256))
        .isInstanceOf(HotplugException.class)
        .hasMessageStartingWith("sandbox sb1: hotplug memory dimmmem0 (256 MiB): object-add");
    assertThat(h.sent()).containsExactly(QUERY, OBJECT_ADD_RAM);
    assertThat(m.hotpluggedMiB()).isZero();
  }

  @Test
  void rollbackWhenDeviceAddFails() {
    h.fake.on(QUERY).reply("[]");
    h.fake.on("device_add").error("GenericError", "no slot");
    MemoryHotplug m = memory(LIMITS, 0);
    assertThatThrownBy(() -> m.add(256)).hasMessageEndingWith("rolled back: object-del mem0");
    assertThat(h.sent())
        .containsExactly(QUERY, OBJECT_ADD_RAM, DIMM_ADD, "object-del {\"id\":\"mem0\"}");
    assertThat(m.hotpluggedMiB()).isZero();
  }

  @Test
  void removeTheLatestDimmsThatAddUp() {
    h.fake.on(QUERY).reply("[]");
    MemoryHotplug m = memory(LIMITS, 0);
    m.add(256);
    h.fake.on(QUERY).reply("[" + dimm(0, "dimmmem0", 256) + "," + dimm(1, "dimmmem1", 128) + "]");
    assertThatThrownBy(() -> m.remove(256))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessage(
            "sandbox sb1: remove 256 MiB of memory: the hot-plugged DIMMs, latest first, are"
                + " [dimmmem1 128 MiB, dimmmem0 256 MiB]: no run of them adds up to 256 MiB");
    MemoryHotplug both = memory(LIMITS, 384);
    assertThat(both.remove(384)).isZero();
    assertThat(h.sent())
        .endsWith(
            QUERY,
            "device_del {\"id\":\"dimmmem1\"}",
            "object-del {\"id\":\"mem1\"}",
            "device_del {\"id\":\"dimmmem0\"}",
            "object-del {\"id\":\"mem0\"}");
  }

  @Test
  void aDimmTheGuestKeepsStaysCounted() {
    h.fake.on(QUERY).reply("[" + dimm(0, "dimmmem0", 256) + "]");
    h.peripheralLists("dimmmem0");
    h.fake.on("device_del").reply("{}"); // kernel-zone memory: _OST 0x82, no DEVICE_DELETED
    MemoryHotplug m = memory(LIMITS, 256);
    assertThatThrownBy(() -> m.remove(256))
        .isInstanceOf(DeviceStillPresentException.class)
        .hasMessageEndingWith("(the guest has not released it); still taken: backend mem0");
    assertThat(m.hotpluggedMiB()).isEqualTo(256);
    assertThat(h.names()).containsExactly(QUERY, "device_del", "qom-list");
  }

  @Test
  void virtioMemIsSetUpOnceThenResizedIn64Bits() {
    MemoryLimits limits = new MemoryLimits(512, 4, 10 * 1024, true);
    MemoryHotplug m = memory(limits, 0);
    m.setupVirtioMem(Placement.ROOT_PORT);
    assertThat(h.sent())
        .containsExactly(
            "qom-list {\"path\":\"/machine/peripheral\"}",
            "object-add {\"qom-type\":\"memory-backend-ram\",\"id\":\"virtiomem\","
                + "\"size\":10200547328,\"reserve\":false}",
            "device_add {\"driver\":\"virtio-mem-pci\",\"id\":\"virtiomem0\","
                + "\"memdev\":\"virtiomem\",\"bus\":\"rp0\"}");
    assertThat(h.ctx.topology().toPersisted().get(1).deviceAddr()).containsEntry(0L, "virtiomem0");
    m.setupVirtioMem(Placement.ROOT_PORT); // already there
    h.fake.on("qom-set");
    assertThat(m.add(6144)).isEqualTo(6144);
    assertThat(m.remove(1024)).isEqualTo(5120);
    assertThat(h.sent())
        .endsWith(
            "qom-list {\"path\":\"/machine/peripheral\"}",
            "qom-set {\"path\":\"/machine/peripheral/virtiomem0\",\"property\":\"requested-size\","
                + "\"value\":6442450944}",
            "qom-set {\"path\":\"/machine/peripheral/virtiomem0\",\"property\":\"requested-size\","
                + "\"value\":5368709120}");
    assertThatThrownBy(() -> m.remove(6000)).hasMessageEndingWith("only 5120 MiB were added");
  }

  @Test
  void virtioMemSetupRollsBack() {
    h.fake.on("device_add").error("GenericError", "no");
    MemoryHotplug m = memory(new MemoryLimits(512, 4, 2048, true), 0);
    assertThatThrownBy(() -> m.setupVirtioMem(Placement.ROOT_PORT))
        .hasMessageEndingWith("rolled back: release slot 03/00 (rp0), object-del virtiomem");
    assertThat(h.ctx.topology().freeSlots(Placement.ROOT_PORT)).isEqualTo(2);
  }

  @Test
  void refusedWithoutMemoryHotplug() {
    h.close();
    h = HotplugHarness.q35(null);
    assertThatThrownBy(() -> memory(LIMITS, 0).add(128))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessage(
            "sandbox sb1: add 128 MiB of memory: guest memory hotplug is not supported on q35");
  }

  @Test
  void addDimmReturnsItAndRemoveDimmTakesItById() {
    h.fake.on(QUERY).reply("[]");
    MemoryHotplug m = memory(LIMITS, 0);
    assertThat(m.addDimm(256)).isEqualTo(new PluggedDimm("dimmmem0", "mem0", 256));
    assertThat(m.hotpluggedMiB()).isEqualTo(256);
    h.fake.on(QUERY).reply("[" + dimm(0, "dimmmem0", 256) + "," + dimm(1, "dimmmem1", 128) + "]");
    MemoryHotplug both = memory(LIMITS, 384);
    assertThat(both.dimm("dimmmem0")).contains(new PluggedDimm("dimmmem0", "mem0", 256));
    assertThat(both.dimm("dimmmem9")).isEmpty();
    assertThat(both.removeDimm("dimmmem0")).isEqualTo(128);
    assertThat(h.sent())
        .endsWith(QUERY, QUERY, "device_del {\"id\":\"dimmmem0\"}", "object-del {\"id\":\"mem0\"}");
    assertThatThrownBy(() -> both.removeDimm("dimmmem9"))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessage(
            "sandbox sb1: remove memory device dimmmem9: QEMU has no hot-plugged DIMM dimmmem9"
                + " (query-memory-devices: [dimmmem0, dimmmem1])");
    assertThatThrownBy(() -> memory(new MemoryLimits(512, 4, 2048, true), 0).addDimm(128))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessageContaining("with VirtioMem memory is a virtio-mem device resized");
  }
}
