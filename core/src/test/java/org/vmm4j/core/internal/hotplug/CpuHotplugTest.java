package org.vmm4j.core.internal.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.Accelerator;
import org.vmm4j.devices.Placement;
import org.vmm4j.persist.CpuDevice;

class CpuHotplugTest {
  /** QEMU 7.2's answer with -smp 1,maxcpus=4,sockets=4 and -numa: highest socket first. */
  static final String FOUR_SLOTS_ONE_PLUGGED = slots(false, false, false);

  static String slots(boolean s1, boolean s2, boolean s3) {
    return "["
        + slot(3, s3)
        + ","
        + slot(2, s2)
        + ","
        + slot(1, s1)
        + ","
        + "{\"props\":{\"core-id\":0,\"thread-id\":0,\"node-id\":0,\"socket-id\":0},"
        + "\"vcpus-count\":1,\"qom-path\":\"/machine/unattached/device[0]\","
        + "\"type\":\"qemu64-x86_64-cpu\"}]";
  }

  private static String slot(int socket, boolean plugged) {
    return "{\"props\":{\"core-id\":0,\"thread-id\":0,\"node-id\":0,\"socket-id\":"
        + socket
        + "},\"vcpus-count\":1,"
        + (plugged ? "\"qom-path\":\"/machine/peripheral/cpu-" + (socket - 1) + "\"," : "")
        + "\"type\":\"qemu64-x86_64-cpu\"}";
  }

  static String add(int n, int socket) {
    return "device_add {\"driver\":\"qemu64-x86_64-cpu\",\"id\":\"cpu-"
        + n
        + "\",\"node-id\":0,"
        + "\"socket-id\":"
        + socket
        + ",\"core-id\":0,\"thread-id\":0}";
  }

  static final String QUERY = "query-hotpluggable-cpus";
  static final String QOM_LIST = "qom-list {\"path\":\"/machine/peripheral\"}";

  private final HotplugHarness h = HotplugHarness.q35();
  private final CpuHotplug tcg =
      new CpuHotplug(h.ctx, new CpuLimits(1, 4, Accelerator.TCG), null, false);

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void addsLowestFreeSlotsFirstWithIdsQemuDoesNotHave() {
    h.fake.on(QUERY).reply(FOUR_SLOTS_ONE_PLUGGED);
    assertThat(tcg.add(2)).containsExactly("cpu-0", "cpu-1");
    assertThat(h.sent()).containsExactly(QUERY, QOM_LIST, add(0, 1), add(1, 2));
    assertThat(tcg.hotplugged()).containsExactly(new CpuDevice("cpu-0"), new CpuDevice("cpu-1"));
    assertThat(tcg.current()).isEqualTo(3);
  }

  @Test
  void addPlacedSaysWhichSlotEachVcpuTookWithoutAskingQemuAgain() {
    h.fake.on(QUERY).reply(FOUR_SLOTS_ONE_PLUGGED);
    var placed = tcg.addPlaced(2);
    assertThat(placed).containsOnlyKeys("cpu-0", "cpu-1");
    assertThat(placed.get("cpu-0").socketId()).isEqualTo(1);
    assertThat(placed.get("cpu-1").socketId()).isEqualTo(2);
    assertThat(h.sent()).containsExactly(QUERY, QOM_LIST, add(0, 1), add(1, 2));
  }

  @Test
  void anIdStillListedInPeripheralIsSkipped() {
    h.fake.on(QUERY).reply(FOUR_SLOTS_ONE_PLUGGED);
    h.peripheralLists("cpu-0"); // an unplugged vCPU stays listed under /machine/peripheral
    assertThat(tcg.add(1)).containsExactly("cpu-1");
  }

  @Test
  void refusedAboveDefaultMaxVcpus() {
    CpuHotplug restored =
        new CpuHotplug(
            h.ctx, new CpuLimits(1, 4, Accelerator.TCG), List.of(new CpuDevice("cpu-0")), false);
    assertThatThrownBy(() -> restored.add(3))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessage("sandbox sb1: add 3 vCPU(s): 2 + 3 is above DefaultMaxVCPUs=4");
    assertThat(h.sent()).isEmpty();
  }

  @Test
  void refusedWhenQemuHasFewerFreeSlots() {
    h.fake.on(QUERY).reply(slots(true, true, false));
    assertThatThrownBy(() -> tcg.add(2))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessage(
            "sandbox sb1: add 2 vCPU(s): QEMU has 1 free CPU slot(s) (query-hotpluggable-cpus)");
    assertThat(h.sent()).containsExactly(QUERY);
  }

  @Test
  void aFailedVcpuKeepsTheOnesAddedBefore() {
    h.fake.on(QUERY).reply(FOUR_SLOTS_ONE_PLUGGED);
    h.fake
        .on("device_add", c -> "cpu-1".equals(c.arg("id")))
        .error("GenericError", "CPU[2] with APIC ID 2 exists");
    assertThatThrownBy(() -> tcg.add(2))
        .isInstanceOf(HotplugException.class)
        .hasMessageEndingWith("CPU[2] with APIC ID 2 exists (GenericError); added and kept: cpu-0");
    assertThat(tcg.hotplugged()).containsExactly(new CpuDevice("cpu-0"));
  }

  @Test
  void removeWaitsUntilTheSlotLosesItsQomPathThenRefusesPlugsUnderTcg() {
    h.fake.on(QUERY).reply(FOUR_SLOTS_ONE_PLUGGED);
    tcg.add(2);
    // the eject: events as QEMU sends them, and the slot empties on the second look
    h.fake
        .on("device_del")
        .reply("{}")
        .event("ACPI_DEVICE_OST", "{\"device\":\"cpu-1\",\"source\":3,\"status\":132}")
        .event("DEVICE_DELETED", "{\"path\":\"/machine/peripheral/cpu-1/lapic\"}")
        .event(
            "ACPI_DEVICE_OST", "{\"source\":3,\"status\":0,\"slot\":\"2\",\"slot-type\":\"CPU\"}");
    h.fake.on(QUERY).reply(slots(true, true, false)).next().reply(slots(true, false, false));
    assertThat(tcg.remove(1)).containsExactly("cpu-1");
    List<String> after = h.sent().subList(4, h.sent().size());
    assertThat(after).containsExactly("device_del {\"id\":\"cpu-1\"}", QUERY, QUERY);
    assertThat(tcg.hotplugged()).containsExactly(new CpuDevice("cpu-0"));
    assertThat(tcg.unplugHappened()).isTrue();
    assertThatThrownBy(() -> tcg.add(1))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessage(
            "sandbox sb1: add 1 vCPU(s): a vCPU was unplugged from this QEMU process, and under"
                + " TCG QEMU 7.2 crashes on the next CPU hotplug (testbed.md): restart the sandbox"
                + " to add vCPUs");
    // nor a PCI device: QEMU 7.2 dies on that too (SIGSEGV), so no slot is handed out
    assertThat(h.ctx.topology().plugsRefused()).hasValue(CpuHotplug.NO_PCI_PLUG_AFTER_CPU_UNPLUG);
  }

  @Test
  void aRestoredUnplugUnderTcgFencesPciSlotsAndUnderKvmNot() {
    new CpuHotplug(h.ctx, new CpuLimits(1, 4, Accelerator.KVM), null, true);
    assertThat(h.ctx.topology().plugsRefused()).isEmpty();
    new CpuHotplug(h.ctx, new CpuLimits(1, 4, Accelerator.TCG), null, true);
    assertThat(h.ctx.topology().plugsRefused()).isPresent();
    BlockHotplug block = new BlockHotplug(h.ctx);
    assertThatThrownBy(
            () ->
                block.plug(
                    BlockRequest.of(
                        "drive-1", "/img/a.raw", BlockDriver.VIRTIO_BLK, Placement.PCI_BRIDGE)))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessageContaining(CpuHotplug.NO_PCI_PLUG_AFTER_CPU_UNPLUG);
    assertThat(h.sent()).noneMatch(c -> c.startsWith("device_add"));
  }

  @Test
  void underKvmAPlugAfterAnUnplugIsAllowed() {
    CpuHotplug kvm =
        new CpuHotplug(
            h.ctx, new CpuLimits(1, 4, Accelerator.KVM), List.of(new CpuDevice("cpu-0")), true);
    h.fake.on(QUERY).reply(FOUR_SLOTS_ONE_PLUGGED);
    assertThat(kvm.add(1)).containsExactly("cpu-1");
    assertThat(kvm.unplugHappened()).isTrue();
  }

  @Test
  void aVcpuNotEjectedInTimeStaysRecorded() {
    CpuHotplug restored =
        new CpuHotplug(
            h.ctx,
            new CpuLimits(1, 4, Accelerator.TCG),
            List.of(new CpuDevice("cpu-0"), new CpuDevice("cpu-1")),
            false);
    h.fake.on("device_del").reply("{}");
    h.fake.on(QUERY).reply(slots(true, true, false));
    assertThatThrownBy(() -> restored.remove(2))
        .isInstanceOf(DeviceStillPresentException.class)
        .hasMessage(
            "sandbox sb1: remove vCPU cpu-1: QEMU accepted device_del but the vCPU is still in its"
                + " slot after 300 ms (the guest did not eject it); it stays recorded");
    assertThat(restored.hotplugged()).hasSize(2);
    assertThat(restored.unplugHappened()).as("the guest may still eject it").isTrue();
    assertThat(h.names()).first().isEqualTo("device_del");
    assertThat(h.names().subList(1, h.names().size())).isNotEmpty().containsOnly(QUERY);
  }

  @Test
  void aVcpuQemuDoesNotKnowIsGone() {
    CpuHotplug restored =
        new CpuHotplug(
            h.ctx, new CpuLimits(1, 4, Accelerator.TCG), List.of(new CpuDevice("cpu-0")), false);
    h.fake.on("device_del").error("DeviceNotFound", "Device 'cpu-0' not found");
    assertThat(restored.remove(1)).containsExactly("cpu-0");
    assertThat(restored.unplugHappened()).isFalse();
  }

  @Test
  void aFailedQueryIsAHotplugErrorNamingTheOperation() {
    h.fake.on(QUERY).error("GenericError", "not now");
    assertThatThrownBy(() -> tcg.add(1))
        .isInstanceOf(HotplugException.class)
        .hasMessage("sandbox sb1: add 1 vCPU(s): query-hotpluggable-cpus: not now (GenericError)");
    assertThat(tcg.hotplugged()).isEmpty();
  }

  @Test
  void removeMoreThanHotplugged() {
    assertThatThrownBy(() -> tcg.remove(1))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessage("sandbox sb1: remove 1 vCPU(s): only 0 were hot-plugged []");
    assertThatThrownBy(() -> tcg.add(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void removeByIdTakesAnyHotpluggedVcpu() {
    CpuHotplug restored =
        new CpuHotplug(
            h.ctx,
            new CpuLimits(1, 4, Accelerator.TCG),
            List.of(new CpuDevice("cpu-0"), new CpuDevice("cpu-1")),
            false);
    h.fake.on("device_del").reply("{}");
    h.fake.on(QUERY).reply(slots(false, true, false)); // cpu-0 (socket 1) left its slot
    restored.removeVcpu("cpu-0");
    assertThat(h.sent()).containsExactly("device_del {\"id\":\"cpu-0\"}", QUERY);
    assertThat(restored.hotplugged()).containsExactly(new CpuDevice("cpu-1"));
    assertThat(restored.unplugHappened()).isTrue();
    assertThatThrownBy(() -> restored.removeVcpu("cpu-7"))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessage(
            "sandbox sb1: remove vCPU cpu-7: not a hot-plugged vCPU (HotpluggedVCPUs: [cpu-1])");
  }
}
