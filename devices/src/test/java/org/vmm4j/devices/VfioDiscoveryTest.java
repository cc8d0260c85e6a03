package org.vmm4j.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.testing.devices.FakeSysfs;

class VfioDiscoveryTest {
  private static final String UUID = "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001";

  @TempDir Path dir;
  private FakeSysfs sysfs;
  private VfioDiscovery discovery;

  @BeforeEach
  void tree() {
    sysfs =
        new FakeSysfs(dir.resolve("sys"))
            // group 12: a PCIe GPU and its audio function (a conventional one, for the test)
            .pci("0000:02:00.1", 12, false, "0x040300", "vfio-pci")
            .pci("0000:02:00.0", 12, true, "0x030000", "vfio-pci")
            // group 13: a NIC function bound to its host driver
            .pci("0001:05:10.2", 13, true, "0x020000", "ixgbevf")
            // group 20: a mediated device of the GPU
            .mdev("0000:02:00.0", UUID, 20);
    discovery = new VfioDiscovery(sysfs.root());
  }

  @Test
  void aBdfGivesItsWholeGroupInNameOrder() {
    VfioGroup g = discovery.discover("02:00.1");
    assertThat(g.number()).isEqualTo(12);
    assertThat(g.devicePath()).isEqualTo("/dev/vfio/12");
    assertThat(g.members())
        .extracting(VfioHostDevice::bdf)
        .containsExactly("0000:02:00.0", "0000:02:00.1");
    VfioHostDevice gpu = g.members().get(0);
    assertThat(gpu.type()).isEqualTo(VfioDeviceType.NORMAL);
    assertThat(gpu.pcie()).isTrue();
    assertThat(gpu.classCode()).isEqualTo(0x030000);
    assertThat(gpu.vendorId()).isEqualTo(0x8086);
    assertThat(gpu.deviceId()).isEqualTo(0x1520);
    assertThat(gpu.driver()).contains("vfio-pci");
    assertThat(gpu.kataBdf()).isEqualTo("02:00.0");
    assertThat(gpu.sysfsDev())
        .isEqualTo(sysfs.root().resolve("bus/pci/devices/0000:02:00.0").toString());
    assertThat(g.members().get(1).pcie()).isFalse();
    assertThat(discovery.discover("0000:02:00.0")).isEqualTo(g);
    assertThat(discovery.discover("/dev/vfio/12")).isEqualTo(g);
  }

  @Test
  void aNonZeroDomainIsKeptAndTheHostDriverReported() {
    VfioHostDevice nic = discovery.discover("0001:05:10.2").members().get(0);
    assertThat(nic.bdf()).isEqualTo("0001:05:10.2");
    assertThat(nic.kataBdf()).isEqualTo("0001:05:10.2");
    assertThat(nic.driver()).contains("ixgbevf");
    assertThat(nic.classCode()).isEqualTo(0x020000);
  }

  @Test
  void aMediatedDeviceByUuidOrSysfsPath() throws IOException {
    VfioGroup g = discovery.discover(UUID);
    assertThat(g.number()).isEqualTo(20);
    VfioHostDevice m = g.members().get(0);
    assertThat(m.type()).isEqualTo(VfioDeviceType.MEDIATED);
    assertThat(m.uuid()).isEqualTo(UUID);
    assertThat(m.bdf()).isEqualTo("0000:02:00.0");
    Path real = sysfs.root().resolve("devices/pci0000:00/0000:02:00.0").resolve(UUID).toRealPath();
    assertThat(m.sysfsDev()).isEqualTo(real.toString());
    assertThat(m.classCode()).isEqualTo(0x030000);
    assertThat(m.pcie()).isFalse();
    assertThat(
            discovery.discover(sysfs.root().resolve("bus/mdev/devices").resolve(UUID).toString()))
        .isEqualTo(g);
    assertThat(discovery.discover(real.toString())).isEqualTo(g);
  }

  @Test
  void hostSysfsPathsAreReadUnderTheRoot() {
    assertThat(discovery.discover("/sys/bus/mdev/devices/" + UUID).number()).isEqualTo(20);
  }

  @Test
  void clearErrors() throws IOException {
    assertThatThrownBy(() -> discovery.discover("02:00"))
        .isInstanceOf(VfioDiscoveryException.class)
        .hasMessageContaining("neither a PCI address");
    assertThatThrownBy(() -> discovery.discover("0000:09:00.0"))
        .isInstanceOf(VfioDiscoveryException.class)
        .hasMessage(
            "VFIO device 0000:09:00.0: no " + sysfs.root().resolve("bus/pci/devices/0000:09:00.0"));
    assertThatThrownBy(() -> discovery.group(99))
        .hasMessageStartingWith("IOMMU group 99: no ")
        .hasMessageEndingWith("(is the IOMMU enabled?)");
    Path noGroup = sysfs.root().resolve("bus/pci/devices/0000:07:00.0");
    Files.createDirectories(noGroup);
    assertThatThrownBy(() -> discovery.discover("07:00.0"))
        .hasMessageContaining("VFIO device 07:00.0: no IOMMU group")
        .hasMessageContaining("intel_iommu=on");
    Files.createDirectories(sysfs.root().resolve("kernel/iommu_groups/12/devices/weird"));
    assertThatThrownBy(() -> discovery.group(12))
        .hasMessage(
            "IOMMU group 12: member \"weird\" is neither a PCI function nor a mediated device");
  }

  @Test
  void bdfNormalisation() {
    assertThat(VfioDiscovery.normalizeBdf("02:1F.7")).contains("0000:02:1f.7");
    assertThat(VfioDiscovery.normalizeBdf("0000:02:00.8")).isEmpty();
    assertThat(VfioDiscovery.normalizeBdf("x")).isEqualTo(Optional.empty());
    assertThat(new VfioDiscovery(VfioDiscovery.DEFAULT_SYSFS).sysfsRoot())
        .isEqualTo(Path.of("/sys"));
  }
}
