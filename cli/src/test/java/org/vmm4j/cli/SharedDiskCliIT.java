package org.vmm4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code hotplug block} of one image into two sandboxes of one state root (real QEMUs): once the
 * first has it, a read-write plug into the second is exit 2 with one line naming the first sandbox
 * and the file, also through a symbolic link; {@code --readonly} or {@code --share-rw} plug it.
 */
class SharedDiskCliIT {
  HaltedSandboxes sandboxes;

  @BeforeEach
  void start() throws IOException {
    assumeTrue(HaltedSandboxes.available(), HaltedSandboxes.QEMU + " not installed");
    sandboxes = new HaltedSandboxes(null);
    sandboxes.start("s1");
    sandboxes.start("s2");
  }

  @AfterEach
  void stop() throws IOException {
    if (sandboxes != null) {
      sandboxes.close();
    }
  }

  @Test
  void aDiskAnotherSandboxHasIsExit2ReadWriteAndPlugsReadOnlyOrShared() throws IOException {
    Path image = sandboxes.disk("shared.raw", 1);
    Path link = Files.createSymbolicLink(sandboxes.dir.resolve("link.raw"), image);
    CliRun first = sandboxes.cli("hotplug", "s1", "block", "--file", image.toString());
    assertThat(first.exitCode()).as(first.err()).isZero();
    String device = first.out().split(" ")[0];
    for (Path p : new Path[] {image, link}) {
      CliRun refused = sandboxes.cli("hotplug", "s2", "block", "--file", p.toString());
      assertThat(refused.exitCode()).as(refused.err()).isEqualTo(2);
      assertThat(refused.err().strip())
          .startsWith(
              "vmm4j hotplug s2 block: hotplug disk "
                  + p
                  + " read-write: sandbox s1 has it plugged (device "
                  + device)
          .contains("--share-rw")
          .hasLineCount(1);
      assertThat(refused.out()).isEmpty();
    }
    assertThat(sandboxes.store.load("s2").sandbox().devices()).isNullOrEmpty();

    CliRun ro = sandboxes.cli("hotplug", "s2", "block", "--file", link.toString(), "--readonly");
    assertThat(ro.exitCode()).as(ro.err()).isZero();
    assertThat(sandboxes.cli("unplug", "s2", ro.out().split(" ")[0]).exitCode()).isZero();
    CliRun shared =
        sandboxes.cli("hotplug", "s2", "block", "--file", link.toString(), "--share-rw");
    assertThat(shared.exitCode()).as(shared.err()).isZero();
    assertThat(sandboxes.store.load("s2").sandbox().devices()).hasSize(1);
  }
}
