package org.vmm4j.core.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vmm4j.core.AssetConfigs.initrdConfig;
import static org.vmm4j.core.AssetConfigs.paths;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.Accelerator;
import org.vmm4j.core.GoldenCases;
import org.vmm4j.core.HostCapabilities;
import org.vmm4j.core.HypervisorConfig;
import org.vmm4j.core.LaunchContext;
import org.vmm4j.core.QemuCommandLine;
import org.vmm4j.devices.Placement;
import org.vmm4j.persist.Bridge;
import org.vmm4j.persist.CpuDevice;
import org.vmm4j.persist.HypervisorState;
import org.vmm4j.persist.PersistCodec;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.testing.qemu.TestAssets;
import org.vmm4j.testing.qmp.FakeQmpServer;

/** The wiring's view: a context from the command line, state out, state back in. */
class SandboxHotplugTest {
  static final HostCapabilities TCG = new HostCapabilities(false, true, false, false, 4096);

  @TempDir Path dir;

  @Test
  void fromTheCommandLineToHypervisorStateAndBack() {
    TestAssets a = TestAssets.create(dir);
    HypervisorConfig c =
        initrdConfig(a)
            .editKata(
                k ->
                    k.hypervisorMachineType("q35")
                        .pcieRootPort(2)
                        .defaultMaxVcpus(4)
                        .blockDeviceDriver("virtio-blk"))
            .validate(4);
    LaunchContext launch =
        new LaunchContext("sb1", UUID.randomUUID(), paths(a), TCG, GoldenCases.sequentialIds());
    QemuCommandLine cmd = QemuCommandLine.build(c, launch);
    try (FakeQmpServer fake = FakeQmpServer.start().emulateDevices();
        QmpClient qmp = QmpClient.connect(fake.socketPath())) {
      fake.on("blockdev-add");
      fake.on("blockdev-del");
      fake.on("query-memory-devices").reply("[]");
      fake.on("object-add");
      fake.on("query-hotpluggable-cpus").reply(CpuHotplugTest.FOUR_SLOTS_ONE_PLUGGED);
      HotplugContext ctx = HotplugContext.launched("sb1", qmp, cmd);
      SandboxHotplug sh =
          SandboxHotplug.launched(ctx, CpuLimits.of(c, cmd.accelerator()), MemoryLimits.of(c, TCG));
      PluggedBlock disk =
          sh.block()
              .plug(
                  BlockRequest.of("drive-1", "/img/a.raw", BlockDriver.of(c), Placement.ROOT_PORT));
      sh.cpus().add(1);
      sh.memory().add(256);
      HypervisorState state = sh.applyTo(HypervisorState.builder().pid(42).build());
      assertThat(state.pid()).isEqualTo(42);
      assertThat(state.bridges())
          .containsExactly(
              new Bridge(Map.of(), "pci", "pci-bridge-0", 2),
              new Bridge(Map.of(0L, "virtio-drive-1"), "pcie-root-port", "rp0", 3),
              new Bridge(Map.of(), "pcie-root-port", "rp1", 4));
      assertThat(state.blockIndexMap()).containsExactly(0L);
      assertThat(state.hotpluggedVcpus()).containsExactly(new CpuDevice("cpu-0"));
      assertThat(state.hotpluggedMemory()).isEqualTo(256);
      assertThat(disk.pciPath()).hasToString("03/00");
      assertThat(MemoryLimits.of(c, TCG).maxMemMiB()).isEqualTo(4096 + 1024);

      // persisted and read back by a new controller
      HypervisorState read =
          PersistCodec.decodeValue(HypervisorState.class, PersistCodec.encodeValue(state), "t");
      HotplugContext again = HotplugContext.restored("sb1", qmp, cmd.machine(), read, cmd.memory());
      SandboxHotplug back =
          SandboxHotplug.restored(
              again, CpuLimits.of(c, Accelerator.TCG), MemoryLimits.of(c, TCG), read, false);
      assertThat(back.applyTo(read)).isEqualTo(state);
      assertThat(again.topology().find("virtio-drive-1")).isPresent();
      assertThat(again.blockIndexes().toPersisted()).isEqualTo(Set.of(0L));
      back.block().unplug(disk);
      HypervisorState after = back.applyTo(read);
      assertThat(after.bridges()).allMatch(b -> b.deviceAddr().isEmpty());
      assertThat(after.blockIndexMap()).isEmpty();
      assertThat(back.cpuUnplugHappened()).isFalse();
      assertThat(List.copyOf(after.hotpluggedVcpus())).hasSize(1);
    }
  }
}
