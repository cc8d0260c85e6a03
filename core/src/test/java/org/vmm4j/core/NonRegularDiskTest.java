package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DiskSpec;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.testing.files.SpecialFiles;

/**
 * A disk that is neither a regular file nor a block device (a FIFO, through a link too; a character
 * device; a directory) is refused by {@link SandboxDevices#plugDisk} before any QMP command is
 * sent: QEMU would block in {@code open()} on a FIFO, its monitor with it. Nothing is recorded, and
 * the sandbox takes a regular disk afterwards. QEMU is a {@link FakeQemuSandbox}.
 */
class NonRegularDiskTest {
  FakeQemuSandbox f;
  SandboxDevices devices;

  @BeforeEach
  void start() throws IOException {
    f = FakeQemuSandbox.start();
    devices = f.sandbox.devices();
    // the hotplug profile is read by the first plug: read it now
    devices.unplug(devices.plugDisk(DiskSpec.raw(f.disk("warm.raw"))).id());
  }

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  /** Plugs {@code disk}, read-only, expecting a refusal that sent nothing and saved nothing. */
  private void refused(Path disk, String what) throws IOException {
    byte[] before = f.stateFile();
    List<String> sent = List.copyOf(f.fake.commandNames());
    assertThatThrownBy(() -> devices.plugDisk(DiskSpec.raw(disk).withReadOnly(true)))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessage(
            "sandbox "
                + FakeQemuSandbox.ID
                + ": hotplug disk: "
                + disk
                + ": not a regular file or block device ("
                + what
                + ")");
    assertThat(f.fake.commandNames()).as("QMP commands sent").isEqualTo(sent);
    assertThat(new String(f.stateFile())).isEqualTo(new String(before));
  }

  @Test
  void aFifoIsRefusedBeforeQemuIsAsked() throws IOException {
    Path fifo = SpecialFiles.fifo(f.root.resolve("fifo.raw"));
    refused(fifo, "a FIFO");
    refused(SpecialFiles.link(f.root.resolve("link.raw"), fifo), "a FIFO, " + fifo);
    Device ok = devices.plugDisk(DiskSpec.raw(f.disk("ok.raw")).withReadOnly(true));
    assertThat(f.store.load(FakeQemuSandbox.ID).sandbox().devices())
        .extracting(d -> d.id())
        .containsExactly(ok.id());
  }

  @Test
  void aCharacterDeviceOrADirectoryIsRefused() throws IOException {
    refused(SpecialFiles.DEV_ZERO, "a character device");
    refused(
        SpecialFiles.link(f.root.resolve("zero.raw"), SpecialFiles.DEV_ZERO),
        "a character device, /dev/zero");
    refused(Files.createDirectory(f.root.resolve("dir.raw")), "a directory");
  }

  @Test
  void aLinkToARegularFileIsADisk() throws IOException {
    Path link = SpecialFiles.link(f.root.resolve("l.raw"), f.disk("target.raw"));
    Device d = devices.plugDisk(DiskSpec.raw(link));
    assertThat(f.fake.received("blockdev-add")).isNotEmpty();
    devices.unplug(d.id());
  }
}
