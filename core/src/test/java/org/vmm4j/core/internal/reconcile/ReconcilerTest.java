package org.vmm4j.core.internal.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.ReconcileException;
import org.vmm4j.core.api.ReconcileOptions;
import org.vmm4j.core.api.Reconciliation;
import org.vmm4j.core.api.Reconciliation.Leftover;
import org.vmm4j.core.api.Reconciliation.LeftoverKind;
import org.vmm4j.core.api.Reconciliation.Missing;
import org.vmm4j.core.api.Reconciliation.MissingKind;
import org.vmm4j.core.api.Reconciliation.RecoveredPath;
import org.vmm4j.devices.PciTopology;
import org.vmm4j.devices.Placement;
import org.vmm4j.persist.BlockDrive;
import org.vmm4j.persist.Bridge;
import org.vmm4j.persist.CpuDevice;
import org.vmm4j.persist.DeviceState;
import org.vmm4j.persist.PciPath;
import org.vmm4j.persist.PersistCodec;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.testing.persist.SampleStates;
import org.vmm4j.testing.qmp.FakeQmpServer;

/**
 * The comparison against a fake QEMU: a Kata state (a disk with {@code PCIPath} {@code {}}, its
 * slot keyed by the drive id) next to a hot-plugged virtio-blk disk, a SCSI disk and a bare block
 * node nobody recorded, command-line devices, and a recorded vCPU QEMU lacks.
 */
class ReconcilerTest {
  static final String ROOT_BUS = "/machine/i440fx/pci.0";
  static final String BRIDGE_BUS = "/machine/peripheral/pci-bridge-0/pci-bridge-0";

  FakeQmpServer fake;
  FakeQemuDevices qemu;
  QmpClient qmp;

  @BeforeEach
  void start() {
    qemu =
        new FakeQemuDevices()
            .commandLine("pci-bridge-0", "pci-bridge", ROOT_BUS, 2)
            .commandLine("serial0", "virtio-serial-pci", ROOT_BUS, 3)
            .commandLine("console0", "virtconsole", "/machine/peripheral/serial0/serial0.0", -1)
            .commandLine("scsi0", "virtio-scsi-pci", ROOT_BUS, 4)
            .hotplugged("virtio-drive-kata", "virtio-blk-pci", BRIDGE_BUS, 1)
            .node("drive-kata", "virtio-drive-kata")
            .hotplugged("virtio-drive-left", "virtio-blk-pci", BRIDGE_BUS, 2)
            .node("drive-left", "virtio-drive-left")
            .scsi("virtio-drive-sc", 0, 3)
            .node("drive-sc", "virtio-drive-sc")
            .node("drive-half", "");
    fake = qemu.serve(FakeQmpServer.start());
    qmp = QmpClient.connect(fake.socketPath());
  }

  @AfterEach
  void stop() {
    qmp.close();
    fake.close();
  }

  static SandboxState kataState() {
    SandboxState base = SampleStates.sandbox("sb", 0, 0);
    DeviceState disk =
        DeviceState.builder()
            .id("kata-blk")
            .type("block")
            .refCount(1)
            .attachCount(1)
            .devType("b")
            .blockDrive(
                BlockDrive.builder()
                    .file("/tmp/k.img")
                    .format("raw")
                    .id("drive-kata")
                    .index(0)
                    .pciPath(PciPath.NIL)
                    .virtPath("/dev/vda")
                    .build())
            .build();
    return base.toBuilder()
        .devices(List.of(disk))
        .hypervisorState(
            base.hypervisorState().toBuilder()
                .bridges(List.of(new Bridge(Map.of(1L, "drive-kata"), "pci", "pci-bridge-0", 2)))
                .blockIndexMap(Set.of(0L))
                .hotpluggedVcpus(List.of(new CpuDevice("cpu-1")))
                .hotpluggedMemory(0)
                .build())
        .build();
  }

  @Test
  void recoversThePathFencesLeftoversAndReportsWhatIsMissing() {
    var r = Reconciler.run(kataState(), qmp, ReconcileOptions.defaults());
    Reconciliation rep = r.report();
    assertThat(rep.recovered())
        .containsExactly(
            new RecoveredPath("kata-blk", "virtio-drive-kata", PciPath.parse("02/01")));
    assertThat(rep.leftovers())
        .containsExactly(
            new Leftover(
                LeftoverKind.DEVICE,
                "virtio-drive-left",
                "virtio-blk-pci",
                "pci-bridge-0",
                PciPath.parse("02/02"),
                OptionalInt.empty(),
                List.of("drive-left"),
                false),
            new Leftover(
                LeftoverKind.DEVICE,
                "virtio-drive-sc",
                "scsi-hd",
                "",
                PciPath.NIL,
                OptionalInt.of(3),
                List.of("drive-sc"),
                false),
            new Leftover(
                LeftoverKind.BLOCK_NODE,
                "drive-half",
                "block-node",
                "",
                PciPath.NIL,
                OptionalInt.empty(),
                List.of("drive-half"),
                false));
    assertThat(rep.missing()).containsExactly(new Missing(MissingKind.VCPU, "cpu-1", "cpu-1"));
    assertThat(rep.agrees()).isFalse();

    SandboxState next = r.state();
    assertThat(next.devices().get(0).blockDrive().pciPath()).isEqualTo(PciPath.parse("02/01"));
    assertThat(next.hypervisorState().bridges().get(0).deviceAddr())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(1L, "virtio-drive-kata", 2L, "virtio-drive-left"));
    assertThat(next.hypervisorState().blockIndexMap()).containsExactlyInAnyOrder(0L, 3L);
    assertThat(fake.commandNames()).doesNotContain("device_del", "blockdev-del");
    // the encoded state carries the path (no longer Kata's {})
    assertThat(new String(PersistCodec.encode(next))).contains("\"PCIPath\":\"02/01\"");
  }

  @Test
  void theFenceKeepsNewPlugsOffTheLeftoversSlot() {
    SandboxState next = Reconciler.run(kataState(), qmp, ReconcileOptions.defaults()).state();
    PciTopology t = PciTopology.restore("sb", next.hypervisorState().bridges());
    assertThat(t.reserve("virtio-drive-new", Placement.PCI_BRIDGE).pciPath())
        .isEqualTo(PciPath.parse("02/03"));
    // without the fence, the same topology hands out the leftover's slot
    PciTopology unfenced = PciTopology.restore("sb", kataState().hypervisorState().bridges());
    assertThat(unfenced.reserve("virtio-drive-new", Placement.PCI_BRIDGE).pciPath())
        .isEqualTo(PciPath.parse("02/02"));
  }

  @Test
  void reconcilingAgainChangesNothing() {
    SandboxState once = Reconciler.run(kataState(), qmp, ReconcileOptions.defaults()).state();
    var twice = Reconciler.run(once, qmp, ReconcileOptions.defaults());
    assertThat(twice.state()).isSameAs(once);
    assertThat(twice.report().recovered()).isEmpty();
    assertThat(twice.report().leftovers())
        .extracting(Leftover::id)
        .containsExactly("virtio-drive-left", "virtio-drive-sc", "drive-half");
  }

  @Test
  void removingLeftoversDeletesThemAndFreesTheirFence() {
    SandboxState fenced = Reconciler.run(kataState(), qmp, ReconcileOptions.defaults()).state();
    var r = Reconciler.run(fenced, qmp, ReconcileOptions.removingLeftovers());
    assertThat(r.report().leftovers()).allMatch(Leftover::removed).hasSize(3);
    assertThat(qemu.has("virtio-drive-left")).isFalse();
    assertThat(qemu.has("virtio-drive-sc")).isFalse();
    assertThat(qemu.has("virtio-drive-kata")).isTrue();
    assertThat(qemu.hasNode("drive-half")).isFalse();
    assertThat(qemu.hasNode("drive-kata")).isTrue();
    assertThat(r.state().hypervisorState().bridges().get(0).deviceAddr())
        .containsExactlyEntriesOf(Map.of(1L, "virtio-drive-kata"));
    assertThat(r.state().hypervisorState().blockIndexMap()).containsExactly(0L);
    assertThat(fake.received("device_del"))
        .extracting(c -> c.arguments().path("id").asString())
        .containsExactly("virtio-drive-left", "virtio-drive-sc");
    assertThat(fake.received("blockdev-del"))
        .extracting(c -> c.arguments().path("node-name").asString())
        .containsExactly("drive-left", "drive-sc", "drive-half");
    // then QEMU and the state agree but for the vCPU
    var after = Reconciler.run(r.state(), qmp, ReconcileOptions.defaults());
    assertThat(after.report().leftovers()).isEmpty();
    assertThat(after.state()).isSameAs(r.state());
  }

  @Test
  void aRecordedDeviceQemuLacksIsReportedAndKept() {
    SandboxState st = kataState();
    qemu.serve(fake); // unchanged
    fake.on("qom-list")
        .reply(
            "[{\"name\":\"pci-bridge-0\",\"type\":\"child<pci-bridge>\"},"
                + "{\"name\":\"cpu-1\",\"type\":\"child<max-x86_64-cpu>\"}]");
    var r = Reconciler.run(st, qmp, ReconcileOptions.defaults());
    assertThat(r.report().missing())
        .containsExactly(new Missing(MissingKind.DEVICE, "kata-blk", "virtio-drive-kata"));
    assertThat(r.state().devices()).isEqualTo(st.devices());
    assertThat(r.report().recovered()).isEmpty();
  }

  @Test
  void endpointsLaunchDevicesAndDimmsAreNotLeftovers() {
    SandboxState st =
        kataState().toBuilder()
            .network(SampleStates.sandbox("sb", 0, 2).network())
            .hypervisorState(
                kataState().hypervisorState().toBuilder().hotpluggedMemory(128).build())
            .build();
    String nic0 = "virtio-9f6f0c57-6a3b-4a38-b0c5-000000000000";
    qemu.hotplugged(nic0, "virtio-net-pci", BRIDGE_BUS, 3)
        .hotplugged("vsock-3", "vhost-vsock-pci", ROOT_BUS, 5)
        .hotplugged("dimmmem0", "pc-dimm", "", -1);
    fake.on("query-memory-devices")
        .reply(
            "[{\"type\":\"dimm\",\"data\":{\"id\":\"dimmmem0\",\"size\":268435456,"
                + "\"hotplugged\":true,\"addr\":4294967296,\"slot\":0,\"node\":0,"
                + "\"memdev\":\"/objects/mem0\",\"hotpluggable\":true}}]");
    Reconciliation r = Reconciler.run(st, qmp, ReconcileOptions.defaults()).report();
    assertThat(r.leftovers())
        .extracting(Leftover::id)
        .containsExactly("virtio-drive-left", "virtio-drive-sc", "drive-half");
    assertThat(r.missing())
        .containsExactly(
            new Missing(
                MissingKind.ENDPOINT, "eth1", "virtio-9f6f0c57-6a3b-4a38-b0c5-000000000001"),
            new Missing(MissingKind.VCPU, "cpu-1", "cpu-1"));
    assertThat(r.recordedMemoryMiB()).isEqualTo(128);
    assertThat(r.qemuMemoryMiB()).isEqualTo(256);
    assertThat(r.agrees()).isFalse();
  }

  @Test
  void aDeviceOfUnknownTypeIsAClearErrorAndNothingIsAsked() {
    SandboxState st =
        kataState().toBuilder()
            .devices(List.of(kataState().devices().get(0).toBuilder().type("floppy").build()))
            .build();
    int before = fake.received().size();
    assertThatThrownBy(() -> Reconciler.run(st, qmp, ReconcileOptions.removingLeftovers()))
        .isInstanceOf(ReconcileException.class)
        .hasMessageStartingWith("sandbox sb: reconcile: ")
        .hasMessageContaining("floppy");
    assertThat(fake.commandNames().subList(before, fake.received().size()))
        .doesNotContain("device_del", "blockdev-del");
  }
}
