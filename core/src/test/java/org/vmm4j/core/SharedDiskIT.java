package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DiskInUseException;
import org.vmm4j.core.api.DiskSpec;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.StateException;
import org.vmm4j.core.internal.vm.Dirs;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.StoreLock;

/**
 * One disk image and two sandboxes of one store, each a real QEMU (q35, TCG, {@link
 * org.vmm4j.testing.qemu.HaltKernel}, native PCIe hotplug): once sandbox {@code sa} has it, a
 * read-write plug of it into {@code sb} is refused (through any path to it), naming {@code sa} and
 * the file, with nothing changed; read-only, or with shared writing allowed, it plugs; once {@code
 * sa} let go of it, it plugs. A broken state of a third sandbox is skipped; a state locked past the
 * deadline is an error that says whether it is known.
 */
class SharedDiskIT {
  Path store;
  HaltedSandbox a;
  HaltedSandbox b;
  Path image;

  private static HypervisorConfig tweak(HypervisorConfig c) {
    return c.editKata(k -> k.pcieRootPort(2).blockDeviceDriver("virtio-blk"))
        .editLive(l -> l.nativePcieHotplug(true));
  }

  @BeforeEach
  void start() throws IOException {
    assumeTrue(HaltedSandbox.available(), HaltedSandbox.QEMU + " not installed");
    store = Files.createTempDirectory(Path.of("/tmp"), "vmm4j-shared");
    SandboxOptions quick = SandboxOptions.defaults().withLockTimeout(Duration.ofSeconds(2));
    a = HaltedSandbox.start("sa", SharedDiskIT::tweak, quick, store);
    b = HaltedSandbox.start("sb", SharedDiskIT::tweak, quick, store);
    image = a.disk("shared.raw", 1);
  }

  @AfterEach
  void stop() {
    try {
      if (b != null) {
        b.close();
      }
    } finally {
      try {
        if (a != null) {
          a.close();
        }
      } finally {
        if (store != null) {
          Dirs.deleteTree(store);
        }
      }
    }
  }

  @Test
  void aDiskAnotherSandboxHasIsRefusedReadWriteThroughAnyPath() throws IOException {
    Device inA = a.sandbox.devices().plugDisk(DiskSpec.raw(image));
    byte[] before = b.stateBytes();
    Set<String> peripheral = b.peripheral();
    Path link = Files.createSymbolicLink(b.root.resolve("link.raw"), image);
    Path hard = Files.createLink(b.root.resolve("hard.raw"), image);
    for (Path p :
        new Path[] {image, link, hard, image.getParent().resolve(".").resolve("shared.raw")}) {
      assertThatThrownBy(() -> b.sandbox.devices().plugDisk(DiskSpec.raw(p)))
          .as(p.toString())
          .isInstanceOfSatisfying(
              DiskInUseException.class,
              e -> {
                assertThat(e.otherSandbox()).isEqualTo("sa");
                assertThat(e.file()).isEqualTo(p);
              })
          .hasMessageStartingWith(
              "sandbox sb: hotplug disk "
                  + p
                  + " read-write: sandbox sa has it plugged (device "
                  + inA.id())
          .hasMessageContaining("plug it read-only, or allow shared writing");
    }
    assertThat(new String(b.stateBytes())).isEqualTo(new String(before));
    assertThat(b.peripheral()).isEqualTo(peripheral);
    assertThat(b.nodes()).isEmpty();

    Device readOnly = b.sandbox.devices().plugDisk(DiskSpec.raw(link).withReadOnly(true));
    b.sandbox.devices().unplug(readOnly.id());
    Device shared = b.sandbox.devices().plugDisk(DiskSpec.raw(hard).withSharedWrite(true));
    b.sandbox.devices().unplug(shared.id());

    a.sandbox.devices().unplug(inA.id());
    Device mine = b.sandbox.devices().plugDisk(DiskSpec.raw(image));
    assertThatThrownBy(() -> a.sandbox.devices().plugDisk(DiskSpec.raw(link)))
        .isInstanceOf(DiskInUseException.class)
        .hasMessageContaining("read-write: sandbox sb has it plugged (device " + mine.id());
  }

  @Test
  void aBrokenStateIsSkippedAndALockedOneIsAnError() throws IOException {
    FsStore fs = new FsStore(store);
    Path broken = Files.createDirectories(fs.sandboxDir("sc"));
    Files.setPosixFilePermissions(broken, PosixFilePermissions.fromString("rwx------"));
    Files.writeString(broken.resolve(FsStore.STATE_FILE), "{not json");
    Files.setPosixFilePermissions(
        broken.resolve(FsStore.STATE_FILE), PosixFilePermissions.fromString("rw-------"));
    assertThat(fs.list()).contains("sa", "sb", "sc");
    Device d = b.sandbox.devices().plugDisk(DiskSpec.raw(image));
    b.sandbox.devices().unplug(d.id());

    try (StoreLock held = fs.lock("sa", true)) {
      assertThat(held.exclusive()).isTrue();
      assertThatThrownBy(() -> b.sandbox.devices().plugDisk(DiskSpec.raw(image)))
          .isInstanceOf(StateException.class)
          .hasMessageStartingWith(
              "sandbox sb: hotplug disk "
                  + image
                  + ": whether sandbox sa has it plugged is not known")
          .hasMessageContaining("retry, or plug it read-only");
      Device ro = b.sandbox.devices().plugDisk(DiskSpec.raw(image).withReadOnly(true));
      b.sandbox.devices().unplug(ro.id());
    }
  }
}
