package org.vmm4j.core.internal.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.BlockDriver;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DeviceStillPresentException;
import org.vmm4j.core.api.HotplugException;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.devices.Placement;
import org.vmm4j.persist.CpuDevice;
import org.vmm4j.persist.StoredSandbox;
import org.vmm4j.qmp.CpuInstanceProperties;

/**
 * {@link CpuPlug} in a transaction: vCPUs added in the lowest free slots with ids QEMU does not
 * have, all or none; ejected through {@link Unplug} until the slot loses its {@code qom-path}; and
 * under TCG, once a vCPU unplug was accepted, no CPU or PCI plug for the life of that QEMU (the
 * marker beside the state says so to every later transaction).
 */
class CpuPlugTest {
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

  @AfterEach
  void close() {
    h.close();
  }

  private Map<String, CpuInstanceProperties> add(int n) {
    return h.run(tx -> CpuPlug.add(tx, n));
  }

  private Device unplug(String id) {
    return h.run(tx -> DeviceUnplugs.unplug(tx, id));
  }

  /** Why a new transaction refuses PCI plugs, if it does. */
  private Optional<String> plugsRefused() {
    return h.run(tx -> tx.model().topology().plugsRefused());
  }

  private boolean marker() {
    return CpuUnplugMarker.read(h.vmDir, HotplugHarness.PID);
  }

  @Test
  void addsLowestFreeSlotsFirstWithIdsQemuDoesNotHave() {
    h.fake.on(QUERY).reply(FOUR_SLOTS_ONE_PLUGGED);
    assertThat(add(2)).containsOnlyKeys("cpu-0", "cpu-1");
    assertThat(h.sent()).containsExactly(QUERY, QOM_LIST, add(0, 1), add(1, 2));
    assertThat(h.stored().sandbox().hypervisorState().hotpluggedVcpus())
        .containsExactly(new CpuDevice("cpu-0"), new CpuDevice("cpu-1"));
    assertThat(h.saves()).isEqualTo(1);
  }

  @Test
  void addSaysWhichSlotEachVcpuTookWithoutAskingQemuAgain() {
    h.fake.on(QUERY).reply(FOUR_SLOTS_ONE_PLUGGED);
    List<Device> added = h.run(tx -> DevicePlugs.vcpus(tx, 2));
    assertThat(added).extracting(Device::id).containsExactly("cpu-0", "cpu-1");
    assertThat(added.get(0).details())
        .containsEntry("socket-id", "1")
        .containsEntry("core-id", "0")
        .containsEntry("thread-id", "0")
        .containsEntry("vcpus", "3");
    assertThat(added.get(1).details()).containsEntry("socket-id", "2");
    assertThat(h.last().tx().addedDevices()).isEqualTo(added);
    assertThat(h.sent()).containsExactly(QUERY, QOM_LIST, add(0, 1), add(1, 2));
  }

  @Test
  void anIdStillListedInPeripheralIsSkipped() {
    h.fake.on(QUERY).reply(FOUR_SLOTS_ONE_PLUGGED);
    h.peripheralLists("cpu-0"); // an unplugged vCPU stays listed under /machine/peripheral
    assertThat(add(1)).containsOnlyKeys("cpu-1");
  }

  @Test
  void refusedAboveDefaultMaxVcpus() {
    h.seed(m -> m.vcpus().add("cpu-0"));
    assertThatThrownBy(() -> add(3))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessage("sandbox sb1: add 3 vCPU(s): 2 + 3 is above DefaultMaxVCPUs=4");
    assertThat(h.sent()).isEmpty();
    assertThat(h.saves()).isZero();
  }

  @Test
  void refusedWhenQemuHasFewerFreeSlots() {
    h.fake.on(QUERY).reply(slots(true, true, false));
    assertThatThrownBy(() -> add(2))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessage(
            "sandbox sb1: add 2 vCPU(s): QEMU has 1 free CPU slot(s) (query-hotpluggable-cpus)");
    assertThat(h.sent()).containsExactly(QUERY);
  }

  /**
   * Changed: a multi-vCPU add is all or nothing. The vCPUs added before the failure are ejected
   * (they were kept and saved before), and under TCG that ends CPU and PCI plugs for this QEMU.
   */
  @Test
  void aFailedVcpuEjectsTheOnesAddedBefore() {
    h.fake.on(QUERY).reply(FOUR_SLOTS_ONE_PLUGGED);
    h.fake
        .on("device_add", c -> "cpu-1".equals(c.arg("id")))
        .error("GenericError", "CPU[2] with APIC ID 2 exists");
    StoredSandbox before = h.stored();
    assertThatThrownBy(() -> add(2))
        .isInstanceOf(HotplugException.class)
        .hasMessageStartingWith("sandbox sb1: add 2 vCPU(s): device_add ")
        .hasMessageEndingWith(
            "CPU[2] with APIC ID 2 exists (GenericError); rolled back: eject vCPU cpu-0");
    assertThat(h.sent())
        .containsExactly(
            QUERY, QOM_LIST, add(0, 1), add(1, 2), "device_del {\"id\":\"cpu-0\"}", QUERY);
    assertThat(h.stored()).isEqualTo(before);
    assertThat(h.saves()).isZero();
    assertThat(marker()).as("the eject was accepted: written though nothing was saved").isTrue();
    assertThatThrownBy(() -> add(1))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessageContaining("a vCPU was unplugged from this QEMU process");
  }

  @Test
  void aVcpuTheRollbackCannotEjectStaysRecorded() {
    h.fake.on(QUERY).reply(FOUR_SLOTS_ONE_PLUGGED).next().reply(slots(true, false, false));
    h.fake.on("device_add", c -> "cpu-1".equals(c.arg("id"))).error("GenericError", "no");
    h.fake.on("device_del").reply("{}"); // accepted; the guest never ejects it
    HotplugException e = catchAdd(2);
    assertThat(e.leftInPlace()).containsExactly("eject vCPU cpu-0");
    assertThat(e.getMessage())
        .contains("; rollback stopped: eject vCPU cpu-0: ")
        .endsWith("; left in place: eject vCPU cpu-0");
    assertThat(h.stored().sandbox().hypervisorState().hotpluggedVcpus())
        .containsExactly(new CpuDevice("cpu-0"));
    assertThat(marker()).isTrue();
  }

  private HotplugException catchAdd(int n) {
    try {
      add(n);
    } catch (HotplugException e) {
      return e;
    }
    throw new AssertionError("add succeeded");
  }

  @Test
  void ejectWaitsUntilTheSlotLosesItsQomPathThenRefusesPlugsUnderTcg() {
    h.fake.on(QUERY).reply(FOUR_SLOTS_ONE_PLUGGED);
    add(2);
    // the eject: events as QEMU sends them, and the slot empties on the second look
    h.fake
        .on("device_del")
        .reply("{}")
        .event("ACPI_DEVICE_OST", "{\"device\":\"cpu-1\",\"source\":3,\"status\":132}")
        .event("DEVICE_DELETED", "{\"path\":\"/machine/peripheral/cpu-1/lapic\"}")
        .event(
            "ACPI_DEVICE_OST", "{\"source\":3,\"status\":0,\"slot\":\"2\",\"slot-type\":\"CPU\"}");
    h.fake.on(QUERY).reply(slots(true, true, false)).next().reply(slots(true, false, false));
    Device d = unplug("cpu-1");
    assertThat(d.id()).isEqualTo("cpu-1");
    List<String> after = h.sent().subList(4, h.sent().size());
    assertThat(after).containsExactly("device_del {\"id\":\"cpu-1\"}", QUERY, QUERY);
    assertThat(h.model().vcpus()).containsExactly("cpu-0");
    assertThat(marker()).isTrue();
    assertThatThrownBy(() -> add(1))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessage(
            "sandbox sb1: add 1 vCPU(s): a vCPU was unplugged from this QEMU process, and under"
                + " TCG QEMU 7.2 crashes on the next CPU hotplug: restart the sandbox"
                + " to add vCPUs");
    // nor a PCI device: QEMU 7.2 dies on that too (SIGSEGV), so no slot is handed out
    assertThat(plugsRefused()).hasValue(CpuPlug.NO_PCI_PLUG_AFTER_CPU_UNPLUG);
  }

  @Test
  void aRecordedUnplugUnderTcgFencesPciSlotsAndUnderKvmNot() {
    CpuUnplugMarker.write(h.vmDir, HotplugHarness.PID + 1); // another QEMU process's
    assertThat(plugsRefused()).isEmpty();
    CpuUnplugMarker.write(h.vmDir, HotplugHarness.PID);
    h.cpuLimits(new CpuLimits(1, 4, Accelerator.KVM));
    assertThat(plugsRefused()).isEmpty();
    h.cpuLimits(new CpuLimits(1, 4, Accelerator.TCG));
    BlockRequest disk =
        BlockRequest.of("drive-1", "/img/a.raw", BlockDriver.VIRTIO_BLK, Placement.PCI_BRIDGE);
    assertThatThrownBy(() -> h.run(tx -> BlockPlug.plug(tx, disk)))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessageContaining(CpuPlug.NO_PCI_PLUG_AFTER_CPU_UNPLUG);
    assertThat(h.sent()).noneMatch(c -> c.startsWith("device_add"));
    assertThat(h.model().blockIndexes().size()).isZero();
  }

  @Test
  void underKvmAPlugAfterAnUnplugIsAllowed() {
    h.seed(m -> m.vcpus().add("cpu-0"));
    CpuUnplugMarker.write(h.vmDir, HotplugHarness.PID);
    h.cpuLimits(new CpuLimits(1, 4, Accelerator.KVM));
    h.fake.on(QUERY).reply(FOUR_SLOTS_ONE_PLUGGED);
    assertThat(add(1)).containsOnlyKeys("cpu-1");
    assertThat(h.model().vcpus()).containsExactly("cpu-0", "cpu-1");
  }

  @Test
  void aVcpuNotEjectedInTimeStaysRecorded() {
    h.seed(m -> m.vcpus().addAll(List.of("cpu-0", "cpu-1")));
    StoredSandbox before = h.stored();
    h.fake.on("device_del").reply("{}");
    h.fake.on(QUERY).reply(slots(true, true, false));
    assertThatThrownBy(() -> unplug("cpu-1"))
        .isInstanceOfSatisfying(
            DeviceStillPresentException.class,
            e -> assertThat(e.leftInPlace()).containsExactly("vCPU cpu-1"))
        .hasMessage(
            "sandbox sb1: unplug cpu cpu-1: QEMU accepted device_del but the vCPU is still in its"
                + " slot after 300 ms (the guest did not eject it); it stays recorded");
    assertThat(h.stored()).isEqualTo(before);
    assertThat(marker()).as("the guest may still eject it").isTrue();
    assertThat(h.names()).first().isEqualTo("device_del");
    assertThat(h.names().subList(1, h.names().size())).isNotEmpty().containsOnly(QUERY);
  }

  @Test
  void aVcpuQemuDoesNotKnowIsGone() {
    h.seed(m -> m.vcpus().add("cpu-0"));
    h.fake.on("device_del").error("DeviceNotFound", "Device 'cpu-0' not found");
    assertThat(unplug("cpu-0").id()).isEqualTo("cpu-0");
    assertThat(h.model().vcpus()).isEmpty();
    assertThat(marker()).isFalse();
  }

  @Test
  void aFailedQueryIsAHotplugErrorNamingTheOperation() {
    h.fake.on(QUERY).error("GenericError", "not now");
    assertThatThrownBy(() -> add(1))
        .isInstanceOf(HotplugException.class)
        .hasMessage("sandbox sb1: add 1 vCPU(s): query-hotpluggable-cpus: not now (GenericError)");
    assertThat(h.saves()).isZero();
  }

  /** Changed: vCPUs are unplugged by id (there is no "remove N"); an unknown one is refused. */
  @Test
  void anUnknownVcpuIsRefused() {
    h.seed(m -> m.vcpus().add("cpu-1"));
    assertThatThrownBy(() -> unplug("cpu-7"))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessage(
            "sandbox sb1: unplug cpu-7: no such device in the state (a DeviceState ID, a network"
                + " endpoint, a hot-plugged vCPU, a hot-plugged memory device) nor in QEMU");
    assertThat(h.sent()).containsExactly(QOM_LIST);
  }

  @Test
  void unplugTakesAnyHotpluggedVcpu() {
    h.seed(m -> m.vcpus().addAll(List.of("cpu-0", "cpu-1")));
    h.fake.on("device_del").reply("{}");
    h.fake.on(QUERY).reply(slots(false, true, false)); // cpu-0 (socket 1) left its slot
    unplug("cpu-0");
    assertThat(h.sent()).containsExactly("device_del {\"id\":\"cpu-0\"}", QUERY);
    assertThat(h.stored().sandbox().hypervisorState().hotpluggedVcpus())
        .containsExactly(new CpuDevice("cpu-1"));
    assertThat(marker()).isTrue();
  }
}
