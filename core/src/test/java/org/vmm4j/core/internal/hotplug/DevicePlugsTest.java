package org.vmm4j.core.internal.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.AssetConfigs;
import org.vmm4j.core.ConfigLoader;
import org.vmm4j.core.api.BlockDriver;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DeviceKind;
import org.vmm4j.core.api.DiskSpec;
import org.vmm4j.core.api.HostCapabilities;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.core.internal.qemu.LaunchContext;
import org.vmm4j.core.internal.qemu.QemuCommandLine;
import org.vmm4j.core.internal.vm.SandboxStates;
import org.vmm4j.devices.Placement;
import org.vmm4j.persist.Bridge;
import org.vmm4j.persist.CpuDevice;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.HypervisorState;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.testing.qemu.TestAssets;
import org.vmm4j.testing.qmp.FakeQmpServer;

/**
 * The wiring's view ({@link DevicePlugs}, {@link DeviceUnplugs}): a sandbox launched from core's
 * own command line and recorded as a launch records it; a disk, a vCPU and a DIMM plugged in one
 * transaction, saved in Kata's schema, read back by the next transaction and the disk unplugged by
 * its id.
 */
class DevicePlugsTest {
  static final HostCapabilities TCG = new HostCapabilities(false, true, false, false, 4096);
  static final long PID = 42;

  @TempDir Path dir;
  FakeQmpServer fake;
  QmpClient qmp;
  HypervisorConfig config;
  QemuCommandLine cmd;
  FsStore store;
  Path file;

  @BeforeEach
  void launched() throws IOException {
    TestAssets a = TestAssets.create(dir);
    config =
        ConfigLoader.validate(
            AssetConfigs.initrdConfig(a)
                .editKata(
                    k ->
                        k.hypervisorMachineType("q35")
                            .pcieRootPort(2)
                            .defaultMaxVcpus(4)
                            .blockDeviceDriver("virtio-blk")),
            4);
    long[] n = {1};
    LaunchContext launch =
        new LaunchContext(
            "sb1",
            UUID.randomUUID(),
            AssetConfigs.paths(a),
            TCG,
            () -> String.format("%016x", n[0]++));
    cmd = QemuCommandLine.build(config, launch);
    store = new FsStore(dir.resolve("store"));
    store.save(
        SandboxStates.started(
            "sb1", RuntimeConfig.shimV2(config, false), cmd, launch.uuid(), PID, 0, 0, ""),
        Map.of());
    file = Files.write(dir.resolve("a.raw"), new byte[4096]);
    fake = FakeQmpServer.start().failOnUnexpectedCommands().emulateDevices();
    fake.on("blockdev-add");
    fake.on("blockdev-del");
    fake.on("query-memory-devices").reply("[]");
    fake.on("object-add");
    fake.on("query-hotpluggable-cpus").reply(CpuPlugTest.FOUR_SLOTS_ONE_PLUGGED);
    qmp = QmpClient.connect(fake.socketPath());
  }

  @AfterEach
  void close() {
    qmp.close();
    fake.close();
  }

  private <T> TxRunner.Outcome<T> run(Function<Tx, T> work) {
    QemuFacts facts =
        new QemuFacts(
            cmd.machine(),
            cmd.memory(),
            MemoryLimits.of(config, TCG),
            CpuLimits.of(config, cmd.accelerator()),
            false);
    TxRunner runner =
        new TxRunner(
            store,
            "sb1",
            Duration.ofSeconds(5),
            qmp,
            () -> facts,
            Deadlines.defaults(),
            dir.resolve("vm"),
            PID,
            config.kata().blockDeviceDriver());
    return runner.run(s -> {}, work, o -> {});
  }

  @Test
  void fromTheCommandLineToTheStateAndBack() {
    var out =
        run(
            tx ->
                List.of(
                    DevicePlugs.disk(
                        tx,
                        config,
                        DiskSpec.raw(file).withPlacement(Placement.ROOT_PORT),
                        HostDeviceFacts.disk("sb1", file, false)),
                    DevicePlugs.vcpus(tx, 1).get(0),
                    DevicePlugs.memory(tx, 256)));
    List<Device> added = out.result();
    assertThat(out.tx().addedDevices()).isEqualTo(added);
    Device disk = added.get(0);
    assertThat(disk.kind()).isEqualTo(DeviceKind.BLOCK);
    assertThat(disk.pciPath()).hasToString("03/00");
    assertThat(disk.details())
        .containsEntry("qemu-id", "virtio-drive-" + disk.id())
        .containsEntry("readonly", "false")
        .containsEntry("file", file.toString());
    assertThat(added.get(1).id()).isEqualTo("cpu-0");
    assertThat(added.get(2).id()).isEqualTo("dimmmem0");
    HypervisorState hs = store.load("sb1").sandbox().hypervisorState();
    assertThat(hs.pid()).isEqualTo(PID);
    assertThat(hs.bridges())
        .containsExactly(
            new Bridge(Map.of(), "pci", "pci-bridge-0", 2),
            new Bridge(Map.of(0L, "virtio-drive-" + disk.id()), "pcie-root-port", "rp0", 3),
            new Bridge(Map.of(), "pcie-root-port", "rp1", 4));
    assertThat(hs.blockIndexMap()).containsExactly(0L);
    assertThat(hs.hotpluggedVcpus()).containsExactly(new CpuDevice("cpu-0"));
    assertThat(hs.hotpluggedMemory()).isEqualTo(256);
    assertThat(MemoryLimits.of(config, TCG).maxMemMiB()).isEqualTo(4096 + 1024);

    // read back by the next transaction: the same disk, then unplugged by its id
    Device read =
        run(tx -> DeviceTable.find(tx.model(), disk.id(), tx.qmp(), tx.deadlines()))
            .result()
            .orElseThrow()
            .device();
    assertThat(read.qemuDevices()).isEqualTo(disk.qemuDevices());
    fake.on("device_del").replyThenDeviceDeleted();
    var gone = run(tx -> DeviceUnplugs.unplug(tx, disk.id()));
    assertThat(gone.tx().removedDevices()).extracting(Device::id).containsExactly(disk.id());
    HypervisorState after = store.load("sb1").sandbox().hypervisorState();
    assertThat(after.bridges()).allMatch(b -> b.deviceAddr().isEmpty());
    assertThat(after.blockIndexMap()).isEmpty();
    assertThat(after.hotpluggedVcpus()).hasSize(1);
    assertThat(store.load("sb1").sandbox().devices()).isEmpty();
    assertThat(CpuUnplugMarker.read(dir.resolve("vm"), PID)).isFalse();
  }

  @Test
  void theSameHostDeviceTwiceAndScsiWithoutAControllerAreRefused() {
    String id =
        run(tx ->
                DevicePlugs.disk(
                    tx, config, DiskSpec.raw(file), HostDeviceFacts.disk("sb1", file, false)))
            .result()
            .id();
    assertThatThrownBy(
            () ->
                run(
                    tx ->
                        DevicePlugs.disk(
                            tx,
                            config,
                            DiskSpec.raw(file),
                            HostDeviceFacts.disk("sb1", file, true))))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessage(
            "sandbox sb1: hotplug disk "
                + file
                + ": it is in the sandbox already, as device "
                + id
                + " (plugged)");
    Path other = dir.resolve("a.raw").resolveSibling("b.raw");
    assertThatThrownBy(
            () ->
                run(
                    tx ->
                        DevicePlugs.disk(
                            tx,
                            config,
                            DiskSpec.raw(other).withDriver(BlockDriver.VIRTIO_SCSI),
                            org.vmm4j.devices.HostDevice.block(other.toString(), 0, 0, false))))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessageContaining("the sandbox has no virtio-scsi controller scsi0");
    assertThat(store.load("sb1").sandbox().devices()).extracting(d -> d.id()).containsExactly(id);
  }
}
