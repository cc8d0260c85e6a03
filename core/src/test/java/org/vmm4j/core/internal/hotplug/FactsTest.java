package org.vmm4j.core.internal.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.MachineType;
import org.vmm4j.core.api.QemuException;
import org.vmm4j.core.internal.qemu.GuestMemory;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.testing.qmp.FakeQmpServer;

/**
 * What a transaction knows besides the state: QEMU's constant facts as read from QEMU (machine,
 * guest RAM's backend, memory bounds, the SCSI controller), the vCPU-unplug marker of one QEMU
 * process, and Linux device numbers.
 */
class FactsTest {
  static final Duration T = Duration.ofSeconds(5);

  @TempDir Path dir;
  final FakeQmpServer fake = FakeQmpServer.start();
  final QmpClient qmp = QmpClient.connect(fake.socketPath());

  @AfterEach
  void close() {
    qmp.close();
    fake.close();
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
    assertThat(QemuFacts.machine("pc-q35-7.2-machine")).isEqualTo(MachineType.Q35);
    assertThat(QemuFacts.machine("pc-i440fx-7.2-machine")).isEqualTo(MachineType.PC);
    assertThat(QemuFacts.machine("microvm-machine")).isEqualTo(MachineType.MICROVM);
    assertThatThrownBy(() -> QemuFacts.machine("isapc-machine"))
        .isInstanceOf(QemuException.class)
        .hasMessageContaining("isapc-machine");
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
    assertThat(QemuFacts.guestMemory(qmp, T))
        .hasValue(new GuestMemory(GuestMemory.FILE, "/dev/shm", true, false));
    fake.on("qom-list", c -> "/objects".equals(c.arg("path"))).reply("[]");
    assertThat(QemuFacts.guestMemory(qmp, T)).isEmpty();
  }

  @Test
  void factsReadFromQemuRatherThanFromTheConfig() {
    fake.on("qom-get", c -> "type".equals(c.arg("property"))).reply("\"pc-q35-7.2-machine\"");
    fake.on("qom-get", c -> "memory".equals(c.arg("property")))
        .reply("{\"size\":536870912,\"slots\":4,\"max-size\":5368709120}");
    fake.on("qom-list", c -> "/machine/peripheral".equals(c.arg("path")))
        .reply(
            "[{\"name\":\"type\",\"type\":\"string\"},{\"name\":\"scsi0\",\"type\":\"child<virtio-scsi-pci>\"}]");
    fake.on("qom-list", c -> "/objects".equals(c.arg("path")))
        .reply("[{\"name\":\"dimm1\",\"type\":\"child<memory-backend-memfd>\"}]");
    fake.on("qom-get", c -> "share".equals(c.arg("property"))).reply("true");
    fake.on("qom-get", c -> "prealloc".equals(c.arg("property"))).reply("false");
    HypervisorConfig config =
        HypervisorConfig.of(
            HypervisorConfig.kataBuilder().numVcpus(2).defaultMaxVcpus(6).virtioMem(true).build());
    QemuFacts f = QemuFacts.read(config, Accelerator.TCG, qmp, T);
    assertThat(f.machine()).isEqualTo(MachineType.Q35);
    assertThat(f.memoryLimits()).isEqualTo(new MemoryLimits(512, 4, 5120, true));
    assertThat(f.cpuLimits()).isEqualTo(new CpuLimits(2, 6, Accelerator.TCG));
    assertThat(f.memory()).hasValue(new GuestMemory(GuestMemory.MEMFD, "", true, false));
    assertThat(f.scsiController()).isTrue();
    assertThat(fake.commandNames()).doesNotContain("query-memory-devices");
  }
}
