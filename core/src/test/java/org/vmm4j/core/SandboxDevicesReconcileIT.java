package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.vmm4j.core.api.BlockDriver;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DeviceStillPresentException;
import org.vmm4j.core.api.DiskSpec;
import org.vmm4j.core.api.HotplugException;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.VhostUserSpec;
import org.vmm4j.persist.CpuDevice;
import org.vmm4j.qmp.MemoryDeviceInfo;
import org.vmm4j.qmp.QmpOptions;
import org.vmm4j.qmp.QueryMemoryDevices;
import org.vmm4j.testing.qemu.HaltKernel;

/**
 * What is true when QEMU does not let a device go: a sandbox on q35 with QEMU's default ACPI
 * hotplug and no guest ({@link HaltKernel}) accepts {@code device_del} and never completes it. Past
 * the deadline the unplug asks QEMU, says the device is still there, and leaves the state as it
 * was; a vCPU unplug that QEMU accepted is remembered for that QEMU process by every controller
 * (under TCG the next CPU plug would crash QEMU 7.2).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SandboxDevicesReconcileIT {
  /** Deadlines come from the sandbox's options now: {@code DEVICE_DELETED} within 400 ms. */
  static final SandboxOptions SHORT =
      SandboxOptions.defaults()
          .withQmpOptions(QmpOptions.defaults().withDeviceDeletedTimeout(Duration.ofMillis(400)));

  HaltedSandbox h;
  SandboxDevices devices;

  @BeforeAll
  void start() throws IOException {
    assumeTrue(HaltedSandbox.available(), HaltedSandbox.QEMU + " not installed");
    h = HaltedSandbox.start("rc1", b -> b.editKata(k -> k.blockDeviceDriver("virtio-blk")), SHORT);
    devices = h.sandbox.devices();
  }

  @AfterAll
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void aDiskTheGuestDoesNotReleaseStaysInQemuAndInTheState() throws IOException {
    Device d = devices.plugDisk(DiskSpec.raw(h.disk("a.raw", 1)));
    String qemuId = d.qemuId();
    byte[] before = h.stateBytes();
    assertThatThrownBy(() -> devices.unplug(d.id()))
        .isInstanceOf(DeviceStillPresentException.class)
        .hasMessageContaining("no DEVICE_DELETED within 400 ms")
        .hasMessageContaining("still lists " + qemuId + " under /machine/peripheral")
        .hasMessageContaining("still taken: slot " + d.pciPath());
    assertThat(new String(h.stateBytes())).isEqualTo(new String(before));
    assertThat(h.peripheral()).contains(qemuId);
    // asked again: the same answer
    assertThatThrownBy(() -> devices.unplug(d.id()))
        .isInstanceOf(DeviceStillPresentException.class)
        .hasMessageContaining("still lists " + qemuId);
    assertThat(new String(h.stateBytes())).isEqualTo(new String(before));
  }

  @Test
  void memoryTheGuestDoesNotReleaseStaysCounted() {
    Device m = devices.addMemory(128);
    assertThat(m.id()).startsWith("dimmmem");
    assertThat(m.details()).containsEntry("size", "128M");
    assertThat(h.state().hypervisorState().hotpluggedMemory()).isEqualTo(128);
    assertThat(h.qmp().call(new QueryMemoryDevices()))
        .extracting(MemoryDeviceInfo::id)
        .contains(m.id());
    assertThatThrownBy(() -> devices.unplug(m.id()))
        .isInstanceOf(DeviceStillPresentException.class)
        .hasMessageContaining("still lists " + m.id());
    assertThat(h.state().hypervisorState().hotpluggedMemory()).isEqualTo(128);
  }

  @Test
  void vcpusAreRecordedAndAnUnplugQemuRefusesChangesNothing() {
    var added = devices.addVcpus(2);
    assertThat(added).extracting(Device::id).containsExactly("cpu-0", "cpu-1");
    assertThat(added.get(0).details()).containsKeys("socket-id", "core-id", "thread-id");
    assertThat(h.state().hypervisorState().hotpluggedVcpus())
        .containsExactly(new CpuDevice("cpu-0"), new CpuDevice("cpu-1"));
    // without a guest, QEMU's ACPI CPU hotplug is still in its legacy mode: no unplug at all
    byte[] before = h.stateBytes();
    assertThatThrownBy(() -> devices.unplug("cpu-0"))
        .isInstanceOf(HotplugException.class)
        .hasMessageContaining("unplug cpu cpu-0: device_del id=cpu-0");
    assertThat(new String(h.stateBytes())).isEqualTo(new String(before));
    assertThat(h.sandbox.paths().vmDir().resolve("cpu-unplugged")).doesNotExist();
    assertThat(devices.addVcpus(1)).extracting(Device::id).containsExactly("cpu-2");
    assertThatThrownBy(() -> devices.addVcpus(1))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessageContaining("above DefaultMaxVCPUs=4");
    assertThat(h.state().hypervisorState().hotpluggedVcpus()).hasSize(3);
  }

  @Test
  void vhostUserIsRefusedWithoutSharedMemoryAndScsiWithoutAController() throws IOException {
    byte[] before = h.stateBytes();
    try (SandboxDevicesIT.DeadDaemon daemon =
        new SandboxDevicesIT.DeadDaemon(h.root.resolve("vu.sock"))) {
      assertThatThrownBy(() -> devices.plugVhostUser(new VhostUserSpec.Blk(daemon.path)))
          .isInstanceOf(HotplugRefusedException.class)
          .hasMessageContaining("vhost-user needs guest memory shared");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    assertThatThrownBy(
            () ->
                devices.plugDisk(
                    DiskSpec.raw(h.disk("s.raw", 1)).withDriver(BlockDriver.VIRTIO_SCSI)))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessageContaining("no virtio-scsi controller scsi0");
    assertThat(new String(h.stateBytes())).isEqualTo(new String(before));
  }
}
