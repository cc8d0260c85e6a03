package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DiskSpec;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.testing.files.SpecialFiles;

/**
 * A FIFO given as a read-only disk to a real QEMU (q35, TCG, {@link HaltKernel}): refused before
 * QEMU is asked, so QEMU never blocks in {@code open()} on it; its QMP monitor answers afterwards,
 * the state is unchanged, and a regular disk plugs and unplugs.
 */
class NonRegularDiskIT {
  static final Duration QMP_DEADLINE = Duration.ofSeconds(5);

  HaltedSandbox h;

  @BeforeEach
  void start() throws IOException {
    assumeTrue(HaltedSandbox.available(), HaltedSandbox.QEMU + " not installed");
    // native PCIe hotplug: a never-powered slot releases a device at once, without a guest
    h =
        HaltedSandbox.start(
            "nr1",
            b ->
                b.editKata(k -> k.pcieRootPort(2).blockDeviceDriver("virtio-blk"))
                    .editLive(l -> l.nativePcieHotplug(true)));
  }

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void aFifoDiskIsRefusedAndQmpStillAnswers() throws IOException {
    byte[] before = h.stateBytes();
    Path fifo = SpecialFiles.fifo(h.root.resolve("disk.fifo"));
    assertThatThrownBy(() -> h.sandbox.devices().plugDisk(DiskSpec.raw(fifo).withReadOnly(true)))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessageContaining(fifo + ": not a regular file or block device (a FIFO)");
    assertThat(h.qmp().execute("query-status", null, QMP_DEADLINE).path("status").asString())
        .isEqualTo("running");
    assertThat(h.nodes()).isEmpty();
    assertThat(new String(h.stateBytes())).isEqualTo(new String(before));

    Device disk =
        h.sandbox.devices().plugDisk(DiskSpec.raw(h.disk("ok.raw", 1)).withReadOnly(true));
    assertThat(h.nodes()).isNotEmpty();
    h.sandbox.devices().unplug(disk.id());
    assertThat(h.nodes()).isEmpty();
  }
}
