package org.vmm4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.persist.FsStore;
import org.vmm4j.testing.files.SmallTmpfs;

/**
 * {@code hotplug} and {@code unplug} with the state root on a full file system (a small tmpfs,
 * filled up) and a real QEMU: each is exit 1 (the host's fault) with one line that names the save
 * and says what is true: the plug was rolled back; the unplugged disk is gone from QEMU but the
 * state still lists it. Once there is space the same commands succeed.
 */
class FullStateRootCliIT {
  static final String ID = "full2";

  SmallTmpfs fs;
  HaltedSandboxes sandboxes;

  @BeforeEach
  void start() throws IOException {
    assumeTrue(HaltedSandboxes.available(), HaltedSandboxes.QEMU + " not installed");
    String why = SmallTmpfs.unavailable().orElse(null);
    assumeTrue(why == null, why);
    fs = SmallTmpfs.mount(Files.createTempDirectory(Path.of("/tmp"), "vmm4j-full"), 4L << 20);
    sandboxes = new HaltedSandboxes(fs.root().resolve("store"));
    sandboxes.start(ID);
  }

  @AfterEach
  void stop() throws IOException {
    try {
      if (fs != null) {
        fs.free();
      }
      if (sandboxes != null) {
        sandboxes.close();
      }
    } finally {
      if (fs != null) {
        fs.close();
      }
    }
  }

  private byte[] state() throws IOException {
    return Files.readAllBytes(sandboxes.store.sandboxDir(ID).resolve(FsStore.STATE_FILE));
  }

  @Test
  void hotplugAndUnplugOnAFullStateRootAreExit1SayingWhatIsTrue() throws IOException {
    Path disk = sandboxes.disk("c.raw", 1);
    byte[] before = state();
    fs.fill();
    CliRun plug = sandboxes.cli("hotplug", ID, "block", "--file", disk.toString());
    assertThat(plug.exitCode()).as(plug.err()).isEqualTo(1);
    assertThat(plug.err().strip())
        .startsWith("vmm4j hotplug " + ID + " block: hotplug virtio-blk disk virtio-drive-")
        .contains("No space left on device", "; rolled back: device_del virtio-drive-")
        .hasLineCount(1);
    assertThat(state()).isEqualTo(before);
    System.out.println("full state root, hotplug: " + plug.err().strip());

    fs.free();
    CliRun plugged = sandboxes.cli("hotplug", ID, "block", "--file", disk.toString());
    assertThat(plugged.exitCode()).as(plugged.err()).isZero();
    String device = plugged.out().split(" ")[0];

    fs.fill();
    CliRun unplug = sandboxes.cli("unplug", ID, device);
    assertThat(unplug.exitCode()).as(unplug.err()).isEqualTo(1);
    assertThat(unplug.err().strip())
        .contains("unplug block " + device + ": ", "No space left on device")
        .endsWith(
            "; not recorded: block "
                + device
                + " is gone from QEMU (an unplug cannot be undone) but the state still lists it:"
                + " retry once the state can be saved")
        .hasLineCount(1);
    System.out.println("full state root, unplug: " + unplug.err().strip());
    assertThat(sandboxes.cli("qmp", ID, "qom-list", "{\"path\":\"/machine/peripheral\"}").out())
        .doesNotContain("virtio-drive-" + device);

    fs.free();
    CliRun retried = sandboxes.cli("unplug", ID, device);
    assertThat(retried.exitCode()).as(retried.err()).isZero();
    assertThat(sandboxes.store.load(ID).sandbox().devices()).isNullOrEmpty();
  }
}
