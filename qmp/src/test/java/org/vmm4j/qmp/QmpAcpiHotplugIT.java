package org.vmm4j.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.vmm4j.testing.qmp.TestQemu;

/**
 * q35's default ACPI hotplug never sends {@code DEVICE_DELETED} without a guest: the wait ends at
 * its deadline with a distinct error, and {@code qom-list} still shows the device.
 */
class QmpAcpiHotplugIT {

  @Test
  void deviceDelWithoutAGuestTimesOutAndTheDeviceStays() {
    assumeTrue(TestQemu.available(), TestQemu.MISSING);
    try (TestQemu qemu = TestQemu.start(TestQemu.ROOT_PORTS);
        QmpClient qmp = TestClients.connect(qemu)) {
      qmp.call(new BlockdevAdd(Json.object().put("driver", "null-co").put("node-name", "n0")));
      qmp.call(
          new DeviceAdd(
              "virtio-blk-pci", "blk0", Json.object().put("drive", "n0").put("bus", "rp0")));
      assertThatThrownBy(() -> qmp.deviceDel("blk0", Duration.ofSeconds(1)))
          .isInstanceOf(QmpEventTimeoutException.class)
          .hasMessageContaining("no DEVICE_DELETED within 1 s");
      assertThat(qmp.call(new QomList(QomList.PERIPHERAL)))
          .extracting(QomProperty::name)
          .contains("blk0");
      // The pending unplug makes a retry fail (QEMU 7.2: "already in the process of unplug").
      assertThatThrownBy(() -> qmp.call(new DeviceDel("blk0")))
          .isInstanceOf(QmpCommandException.class);
    }
  }
}
