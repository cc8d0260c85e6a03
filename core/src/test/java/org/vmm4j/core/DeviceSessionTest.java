package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.hotplug.CpuLimits;
import org.vmm4j.core.hotplug.HotplugException;
import org.vmm4j.core.hotplug.HotplugTimeouts;
import org.vmm4j.core.hotplug.MemoryLimits;
import org.vmm4j.persist.CpuDevice;
import org.vmm4j.persist.HypervisorState;
import org.vmm4j.persist.PciPath;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.persist.StoredSandbox;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.testing.persist.SampleStates;
import org.vmm4j.testing.qmp.FakeQmpServer;

/**
 * What a hotplug transaction saves: after success the devices and the hypervisor state; after a
 * failure nothing, unless QEMU kept vCPUs or memory added before it (then exactly those). Also the
 * small pieces around it: the CPU-unplug marker, device numbers, QEMU's machine names, the line
 * {@code vmm4j hotplug} prints.
 */
class DeviceSessionTest {
  static final HotplugProfile PROFILE =
      new HotplugProfile(
          MachineType.PC,
          Optional.of(new GuestMemory(GuestMemory.RAM, "", false, false)),
          new MemoryLimits(512, 4, 4096, false),
          new CpuLimits(1, 4, Accelerator.TCG),
          false);

  @TempDir Path dir;
  final FakeQmpServer fake = FakeQmpServer.start().emulateDevices();
  final QmpClient qmp = QmpClient.connect(fake.socketPath());
  final StoredSandbox stored = new StoredSandbox(SampleStates.sandbox("sb1", 2, 0), Map.of());

  @AfterEach
  void close() {
    qmp.close();
    fake.close();
  }

  private DeviceSession open() {
    HypervisorConfig config =
        HypervisorConfig.of(HypervisorConfig.kataBuilder().blockDeviceDriver("virtio-blk").build());
    return DeviceSession.open(
        stored, config, PROFILE, qmp, HotplugTimeouts.defaults(), /* cpuUnplugged= */ false);
  }

  private static String slots() {
    StringBuilder b = new StringBuilder("[");
    for (int s = 3; s >= 0; s--) {
      b.append("{\"props\":{\"socket-id\":")
          .append(s)
          .append(",\"core-id\":0,\"thread-id\":0},\"vcpus-count\":1,")
          .append(s == 0 ? "\"qom-path\":\"/machine/unattached/device[0]\"," : "")
          .append("\"type\":\"qemu64-x86_64-cpu\"}")
          .append(s == 0 ? "]" : ",");
    }
    return b.toString();
  }

  @Test
  void restoresFromTheStateAndSavesDevicesAndHypervisorState() {
    DeviceSession s = open();
    assertThat(s.devices().devices()).hasSize(2);
    // the restored topology knows the slots taken in the state
    assertThat(s.flows().context().topology().find("virtio-drive-0")).isPresent();
    assertThat(s.flows().cpus().hotplugged()).containsExactly(new CpuDevice("cpu-1"));
    fake.on("blockdev-del");
    String id = s.devices().devices().get(0).id();
    // QEMU does not know the sample's device: it is gone; its slot and index are freed
    assertThat(BuiltInUnplugs.device(s, id)).isTrue();
    assertThat(BuiltInUnplugs.device(s, "nope")).isFalse();
    s.updateState(st -> st.toBuilder().state("marked").build());
    SandboxState next = s.succeeded().sandbox();
    assertThat(next.devices()).hasSize(1);
    assertThat(next.state()).isEqualTo("marked");
    assertThat(next.hypervisorState().blockIndexMap()).hasSize(1);
    assertThat(fake.commandNames()).contains("device_del", "blockdev-del");
  }

  @Test
  void aFailureSavesNothingButTheVcpusQemuKept() {
    DeviceSession untouched = open();
    assertThat(untouched.failed()).isSameAs(stored);

    fake.on("query-hotpluggable-cpus").reply(slots());
    fake.on("device_add").reply("{}").next().error("GenericError", "no more");
    DeviceSession s = open();
    assertThatThrownBy(() -> s.flows().cpus().add(2)).isInstanceOf(HotplugException.class);
    HypervisorState hs = s.failed().sandbox().hypervisorState();
    assertThat(hs.hotpluggedVcpus())
        .containsExactly(new CpuDevice("cpu-1"), new CpuDevice("cpu-0"));
    assertThat(s.failed().sandbox().devices()).isEqualTo(stored.sandbox().devices());
    assertThat(hs.bridges()).isEqualTo(stored.sandbox().hypervisorState().bridges());
  }

  @Test
  void theCpuUnplugMarkerBelongsToOneQemuPid() {
    assertThat(CpuUnplugMarker.read(dir, 42)).isFalse();
    CpuUnplugMarker.write(dir, 42);
    assertThat(CpuUnplugMarker.read(dir, 42)).isTrue();
    assertThat(CpuUnplugMarker.read(dir, 43)).as("a restarted QEMU").isFalse();
    assertThat(dir.resolve("cpu-unplugged")).hasContent("42");
  }

  @Test
  void linuxDeviceNumbers() {
    // makedev(8, 16) and makedev(259, 0x12345)
    assertThat(HostDeviceFacts.major(0x810)).isEqualTo(8);
    assertThat(HostDeviceFacts.minor(0x810)).isEqualTo(16);
    long dev = (259L << 8) | 0x45L | (0x12300L << 12); // glibc's makedev
    assertThat(HostDeviceFacts.major(dev)).isEqualTo(259);
    assertThat(HostDeviceFacts.minor(dev)).isEqualTo(0x12345);
    long wide = (0x1000L << 32) | (8L << 8); // major 0x1008
    assertThat(HostDeviceFacts.major(wide)).isEqualTo(0x1008);
  }

  @Test
  void qemuMachineTypeNames() {
    assertThat(HotplugProfile.machine("pc-q35-7.2-machine")).isEqualTo(MachineType.Q35);
    assertThat(HotplugProfile.machine("pc-i440fx-7.2-machine")).isEqualTo(MachineType.PC);
    assertThat(HotplugProfile.machine("microvm-machine")).isEqualTo(MachineType.MICROVM);
    assertThatThrownBy(() -> HotplugProfile.machine("isapc-machine"))
        .hasMessageContaining("isapc-machine");
  }

  @Test
  void theLineVmm4jHotplugPrints() {
    HotpluggedDevice d =
        new HotpluggedDevice(
            "0123456789abcdef",
            PciPath.parse("02/01"),
            "block",
            Map.of("qemu-id", "virtio-drive-0123456789abcdef"));
    assertThat(d.line()).isEqualTo("0123456789abcdef 02/01 qemu-id=virtio-drive-0123456789abcdef");
    assertThat(new HotpluggedDevice("cpu-0", PciPath.NIL, "cpu", Map.of()).line())
        .isEqualTo("cpu-0 -");
  }

  @Test
  void guestMemoryAsTheRunningQemuHasIt() {
    fake.on("qom-list", c -> "/objects".equals(c.arg("path")))
        .reply(
            "[{\"name\":\"type\",\"type\":\"string\"},"
                + "{\"name\":\"dimm1\",\"type\":\"child<memory-backend-file>\"}]");
    fake.on("qom-get", c -> "share".equals(c.arg("property"))).reply("true");
    fake.on("qom-get", c -> "prealloc".equals(c.arg("property"))).reply("false");
    fake.on("qom-get", c -> "mem-path".equals(c.arg("property"))).reply("\"/dev/shm\"");
    assertThat(HotplugProfile.guestMemory(qmp, HotplugTimeouts.DEFAULT_COMMAND))
        .hasValue(new GuestMemory(GuestMemory.FILE, "/dev/shm", true, false));
    fake.on("qom-list", c -> "/objects".equals(c.arg("path"))).reply("[]");
    assertThat(HotplugProfile.guestMemory(qmp, HotplugTimeouts.DEFAULT_COMMAND)).isEmpty();
  }
}
