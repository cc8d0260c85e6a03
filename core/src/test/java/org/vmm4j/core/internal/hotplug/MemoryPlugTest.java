package org.vmm4j.core.internal.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DeviceKind;
import org.vmm4j.core.api.DeviceStillPresentException;
import org.vmm4j.core.api.HotplugException;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.core.internal.qemu.GuestMemory;
import org.vmm4j.devices.Placement;
import org.vmm4j.persist.StoredSandbox;

/**
 * {@link MemoryPlug} in a transaction: a DIMM with guest RAM's kind of backend within maxmem and
 * the slots, recorded as {@code HotpluggedMemory}; its unplug by id ({@link Unplug}, the DIMM read
 * from {@code query-memory-devices}); virtio-mem plugged once, then resized in 64 bits.
 */
class MemoryPlugTest {
  static final String QUERY = "query-memory-devices";
  static final String OBJECT_ADD_RAM =
      "object-add {\"qom-type\":\"memory-backend-ram\",\"id\":\"mem0\",\"size\":268435456}";
  static final String DIMM_ADD =
      "device_add {\"driver\":\"pc-dimm\",\"id\":\"dimmmem0\",\"memdev\":\"mem0\"}";
  static final String QOM_LIST = "qom-list {\"path\":\"/machine/peripheral\"}";

  private HotplugHarness h = HotplugHarness.q35(HotplugHarness.PLAIN);

  @AfterEach
  void close() {
    h.close();
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

  private DeviceRecord addDimm(long mib) {
    return h.run(tx -> MemoryPlug.addDimm(tx, mib));
  }

  private Device unplug(String id) {
    return h.run(tx -> DeviceUnplugs.unplug(tx, id));
  }

  private long hotplugged() {
    return h.stored().sandbox().hypervisorState().hotpluggedMemory();
  }

  @Test
  void aDimmWithGuestRamsKindOfBackend() {
    h.fake.on(QUERY).reply("[]");
    DeviceRecord r = addDimm(256);
    assertThat(r.id()).isEqualTo("dimmmem0");
    assertThat(r.kind()).isEqualTo(DeviceKind.MEMORY);
    assertThat(r.backends()).containsExactly(new DeviceRecord.MemoryObject("mem0"));
    assertThat(r.source()).isEqualTo(new DeviceRecord.Dimm(256));
    assertThat(r.device().details())
        .containsEntry("size", "256M")
        .containsEntry("memdev", "mem0")
        .containsEntry("hotplugged", "256M");
    assertThat(h.sent()).containsExactly(QUERY, OBJECT_ADD_RAM, DIMM_ADD);
    assertThat(hotplugged()).isEqualTo(256);
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
    assertThat(addDimm(256).id()).isEqualTo("dimmmem1");
    assertThat(h.sent())
        .containsExactly(
            QUERY,
            "object-add {\"qom-type\":\"memory-backend-file\",\"id\":\"mem1\",\"size\":268435456,"
                + "\"mem-path\":\"/dev/hugepages\",\"share\":true,\"prealloc\":true}",
            "device_add {\"driver\":\"pc-dimm\",\"id\":\"dimmmem1\",\"memdev\":\"mem1\"}");
  }

  @Test
  void refusedBeyondMaxmemOrSlots() {
    h.seed(m -> m.memoryMiB(1024));
    assertThatThrownBy(() -> addDimm(1024))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessage(
            "sandbox sb1: add 1024 MiB of memory: the sandbox has 1536 MiB and maxmem is 2048 MiB");
    assertThat(h.sent()).isEmpty();
    h.fake.on(QUERY).reply("[" + dimm(0, "dimmmem0", 128) + "," + dimm(1, "dimmmem1", 128) + "]");
    h.memoryLimits(new MemoryLimits(512, 2, 2048, false));
    assertThatThrownBy(() -> addDimm(128))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessage("sandbox sb1: add 128 MiB of memory: all 2 memory slots are in use (MemSlots)");
    assertThat(h.sent()).containsExactly(QUERY);
    assertThat(h.saves()).isZero();
  }

  @Test
  void rollbackWhenObjectAddFails() {
    h.fake.on(QUERY).reply("[]");
    h.fake.on("object-add").error("GenericError", "cannot allocate");
    assertThatThrownBy(() -> addDimm(256))
        .isInstanceOf(HotplugException.class)
        .hasMessageStartingWith("sandbox sb1: hotplug memory dimmmem0 (256 MiB): object-add");
    assertThat(h.sent()).containsExactly(QUERY, OBJECT_ADD_RAM);
    assertThat(hotplugged()).isZero();
    assertThat(h.saves()).isZero();
  }

  /** The size counted in the model is undone quietly: the message names QEMU's steps only. */
  @Test
  void rollbackWhenDeviceAddFails() {
    h.fake.on(QUERY).reply("[]");
    h.fake.on("device_add").error("GenericError", "no slot");
    assertThatThrownBy(() -> addDimm(256)).hasMessageEndingWith("; rolled back: object-del mem0");
    assertThat(h.sent())
        .containsExactly(QUERY, OBJECT_ADD_RAM, DIMM_ADD, "object-del {\"id\":\"mem0\"}");
    assertThat(hotplugged()).isZero();
    assertThat(h.saves()).isZero();
  }

  /** Changed: memory is unplugged by DIMM id (there is no "remove N MiB" that finds DIMMs). */
  @Test
  void unplugADimmByItsId() {
    h.seed(m -> m.memoryMiB(384));
    h.fake.on(QUERY).reply("[" + dimm(0, "dimmmem0", 256) + "," + dimm(1, "dimmmem1", 128) + "]");
    h.fake.on("device_del").replyThenDeviceDeleted();
    Device d = unplug("dimmmem1");
    assertThat(d.kind()).isEqualTo(DeviceKind.MEMORY);
    assertThat(d.details()).containsEntry("size", "128M").containsEntry("memdev", "mem1");
    assertThat(h.sent())
        .containsExactly(QUERY, "device_del {\"id\":\"dimmmem1\"}", "object-del {\"id\":\"mem1\"}");
    assertThat(hotplugged()).isEqualTo(256);
    assertThatThrownBy(() -> unplug("dimmmem9"))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessage(
            "sandbox sb1: unplug dimmmem9: no such device in the state (a DeviceState ID, a network"
                + " endpoint, a hot-plugged vCPU, a hot-plugged memory device) nor in QEMU");
  }

  @Test
  void aDimmTheGuestKeepsStaysCounted() {
    h.seed(m -> m.memoryMiB(256));
    StoredSandbox before = h.stored();
    h.fake.on(QUERY).reply("[" + dimm(0, "dimmmem0", 256) + "]");
    h.peripheralLists("dimmmem0");
    h.fake.on("device_del").reply("{}"); // kernel-zone memory: _OST 0x82, no DEVICE_DELETED
    assertThatThrownBy(() -> unplug("dimmmem0"))
        .isInstanceOf(DeviceStillPresentException.class)
        .hasMessageStartingWith("sandbox sb1: unplug memory dimmmem0: QEMU accepted device_del")
        .hasMessageEndingWith("(the guest has not released it); still taken: backend mem0");
    assertThat(h.stored()).isEqualTo(before);
    assertThat(h.names()).containsExactly(QUERY, "device_del", "qom-list");
  }

  /** Changed: virtio-mem goes where the sandbox puts devices by default, and never shrinks. */
  @Test
  void virtioMemIsPluggedOnceThenResizedIn64Bits() {
    h.memoryLimits(new MemoryLimits(512, 4, 10 * 1024, true));
    h.fake.on("qom-set");
    long total = h.run(tx -> MemoryPlug.growVirtioMem(tx, 6144));
    assertThat(total).isEqualTo(6144);
    assertThat(h.sent())
        .containsExactly(
            QOM_LIST,
            "object-add {\"qom-type\":\"memory-backend-ram\",\"id\":\"virtiomem\","
                + "\"size\":10200547328,\"reserve\":false}",
            "device_add {\"driver\":\"virtio-mem-pci\",\"id\":\"virtiomem0\","
                + "\"memdev\":\"virtiomem\",\"bus\":\"pci-bridge-0\",\"addr\":\"01\"}",
            "qom-set {\"path\":\"/machine/peripheral/virtiomem0\",\"property\":\"requested-size\","
                + "\"value\":6442450944}");
    assertThat(h.stored().sandbox().hypervisorState().bridges().get(0).deviceAddr())
        .containsEntry(1L, "virtiomem0");
    // plugged already: only resized
    Device d = h.run(tx -> DevicePlugs.memory(tx, 1024));
    assertThat(h.sent())
        .endsWith(
            "qom-set {\"path\":\"/machine/peripheral/virtiomem0\",\"property\":\"requested-size\","
                + "\"value\":7516192768}");
    assertThat(d.id()).isEqualTo("virtiomem0");
    assertThat(d.pciPath()).hasToString("02/01");
    assertThat(d.details()).containsEntry("requested-size", "7168M");
    assertThat(hotplugged()).isEqualTo(7168);
    assertThatThrownBy(() -> h.run(tx -> MemoryPlug.growVirtioMem(tx, 3000)))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessage(
            "sandbox sb1: add 3000 MiB of memory: the sandbox has 7680 MiB and maxmem is 10240"
                + " MiB");
    assertThatThrownBy(() -> unplug("virtiomem0"))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessage(
            "sandbox sb1: unplug virtiomem0: the virtio-mem device stays; its size is what"
                + " changes");
    assertThatThrownBy(() -> addDimm(128))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessageContaining("with VirtioMem memory is a virtio-mem device resized");
  }

  @Test
  void virtioMemPlugRollsBack() {
    h.memoryLimits(new MemoryLimits(512, 4, 2048, true));
    h.fake.on("device_add").error("GenericError", "no");
    assertThatThrownBy(() -> h.run(tx -> MemoryPlug.growVirtioMem(tx, 256)))
        .hasMessageEndingWith(
            "rolled back: release slot 02/01 (pci-bridge-0), object-del virtiomem");
    assertThat(h.model().topology().freeSlots(Placement.PCI_BRIDGE)).isEqualTo(30);
    assertThat(h.saves()).isZero();
  }

  @Test
  void aFailedFirstResizeUnplugsVirtioMemAgain() {
    h.memoryLimits(new MemoryLimits(512, 4, 2048, true));
    h.fake.on("qom-set").error("GenericError", "requested-size too big");
    assertThatThrownBy(() -> h.run(tx -> MemoryPlug.growVirtioMem(tx, 256)))
        .isInstanceOf(HotplugException.class)
        .hasMessageContaining("requested-size too big")
        .hasMessageEndingWith(
            "rolled back: device_del virtiomem0, release slot 02/01 (pci-bridge-0),"
                + " object-del virtiomem");
    assertThat(h.names()).endsWith("qom-set", "device_del", "object-del");
    assertThat(h.saves()).isZero();
  }

  @Test
  void refusedWithoutMemoryHotplug() {
    h.close();
    h = HotplugHarness.q35(null);
    assertThatThrownBy(() -> addDimm(128))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessage(
            "sandbox sb1: add 128 MiB of memory: guest memory hotplug is not supported on q35");
  }
}
