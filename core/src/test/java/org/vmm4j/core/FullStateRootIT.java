package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DiskSpec;
import org.vmm4j.core.api.HostException;
import org.vmm4j.core.api.SandboxEvent;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.Vmm4jException;
import org.vmm4j.persist.FsStore;
import org.vmm4j.testing.files.SmallTmpfs;

/**
 * A state root whose file system is full, for real (a small tmpfs filled up), under a real QEMU
 * (q35, TCG, {@link org.vmm4j.testing.qemu.HaltKernel}, native PCIe hotplug on root ports so that a
 * device leaves without a guest):
 *
 * <ul>
 *   <li>a disk plug cannot be saved: it is undone in QEMU, the host's fault names the save and what
 *       was rolled back, {@code persist.json} keeps its bytes, no temporary file stays, no event is
 *       told; once there is space the same plug succeeds;
 *   <li>an unplug cannot be saved: QEMU no longer has the device (that cannot be undone), and the
 *       error says so: the state still lists it, named in {@code leftInPlace()}; no event is told
 *       until the next unplug of it records it, once there is space.
 * </ul>
 */
class FullStateRootIT {
  static final long TMPFS_BYTES = 4L << 20;

  SmallTmpfs fs;
  HaltedSandbox h;
  final BlockingQueue<SandboxEvent> events = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() throws IOException {
    assumeTrue(HaltedSandbox.available(), HaltedSandbox.QEMU + " not installed");
    String why = SmallTmpfs.unavailable().orElse(null);
    assumeTrue(why == null, why);
    fs = SmallTmpfs.mount(Files.createTempDirectory(Path.of("/tmp"), "vmm4j-full"), TMPFS_BYTES);
    h =
        HaltedSandbox.start(
            "full1",
            b ->
                b.editKata(k -> k.pcieRootPort(2).blockDeviceDriver("virtio-blk"))
                    .editLive(l -> l.nativePcieHotplug(true)),
            SandboxOptions.defaults(),
            fs.root().resolve("store"));
    h.sandbox.addListener(events::add);
  }

  @AfterEach
  void stop() throws IOException {
    try {
      if (fs != null) {
        fs.free();
      }
      if (h != null) {
        h.close();
      }
    } finally {
      if (fs != null) {
        fs.close();
      }
    }
  }

  private Path stateFile() {
    return h.store.sandboxDir(h.sandbox.id()).resolve(FsStore.STATE_FILE);
  }

  private List<String> temporaryFiles() throws IOException {
    try (Stream<Path> s = Files.list(h.store.sandboxDir(h.sandbox.id()))) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tmp-")).toList();
    }
  }

  private Vmm4jException failure(Runnable r) {
    try {
      r.run();
    } catch (Vmm4jException e) {
      return e;
    }
    throw new AssertionError("it succeeded on a full file system");
  }

  private SandboxEvent nextEvent() throws InterruptedException {
    SandboxEvent e = events.poll(10, TimeUnit.SECONDS);
    assertThat(e).as("an event within 10 s").isNotNull();
    return e;
  }

  @Test
  void aPlugThatCannotBeSavedIsUndoneInQemuAndTheStateKeepsItsBytes() throws Exception {
    Path disk = h.disk("a.raw", 1);
    byte[] before = Files.readAllBytes(stateFile());
    assertThat(fs.fill()).isPositive();

    Vmm4jException e = failure(() -> h.sandbox.devices().plugDisk(DiskSpec.raw(disk)));
    assertThat(e)
        .isInstanceOf(HostException.class)
        .hasMessageStartingWith("sandbox full1: hotplug virtio-blk disk virtio-drive-")
        .hasMessageContaining("save sandbox full1")
        .hasMessageContaining("No space left on device")
        .hasMessageContaining("; rolled back: device_del virtio-drive-");
    assertThat(e.fault()).isEqualTo(Vmm4jException.Fault.HOST);
    assertThat(e.leftInPlace()).isEmpty();
    assertThat(h.peripheral()).as("QEMU's devices").noneMatch(d -> d.startsWith("virtio-drive-"));
    assertThat(h.nodes()).as("QEMU's block nodes").isEmpty();
    assertThat(Files.readAllBytes(stateFile())).isEqualTo(before);
    assertThat(temporaryFiles()).isEmpty();

    fs.free();
    Device d = h.sandbox.devices().plugDisk(DiskSpec.raw(disk));
    assertThat(h.peripheral()).contains(d.qemuId());
    assertThat(h.state().devices()).extracting(s -> s.id()).containsExactly(d.id());
    SandboxEvent first = nextEvent();
    assertThat(first)
        .as("the first event is the plug that was saved: none for the one undone")
        .isEqualTo(new SandboxEvent.DeviceAdded("full1", d));
  }

  @Test
  void anUnplugThatCannotBeSavedSaysTheStateStillListsTheDevice() throws Exception {
    Device d = h.sandbox.devices().plugDisk(DiskSpec.raw(h.disk("b.raw", 1)));
    assertThat(nextEvent()).isEqualTo(new SandboxEvent.DeviceAdded("full1", d));
    byte[] before = Files.readAllBytes(stateFile());
    assertThat(fs.fill()).isPositive();

    Vmm4jException e = failure(() -> h.sandbox.devices().unplug(d.id()));
    assertThat(e)
        .isInstanceOf(HostException.class)
        .hasMessageStartingWith("sandbox full1: unplug block " + d.id() + ": ")
        .hasMessageContaining("No space left on device")
        .hasMessageContaining(
            "not recorded: block "
                + d.id()
                + " is gone from QEMU (an unplug cannot be undone) but the state still lists it:"
                + " retry once the state can be saved");
    assertThat(e.leftInPlace()).containsExactly("the state's record of block " + d.id());
    assertThat(h.peripheral()).as("QEMU's devices").doesNotContain(d.qemuId());
    assertThat(h.nodes()).as("QEMU's block nodes").isEmpty();
    assertThat(Files.readAllBytes(stateFile())).isEqualTo(before);
    assertThat(temporaryFiles()).isEmpty();

    fs.free();
    assertThat(h.state().devices())
        .as("nothing recorded the unplug behind the caller's back")
        .extracting(s -> s.id())
        .containsExactly(d.id());
    Device gone = h.sandbox.devices().unplug(d.id());
    assertThat(gone.id()).isEqualTo(d.id());
    assertThat(h.state().devices()).isNullOrEmpty();
    assertThat(nextEvent())
        .as("the removal is told once the state records it, once")
        .isEqualTo(new SandboxEvent.DeviceRemoved("full1", gone, true));
    assertThat(events.poll(500, TimeUnit.MILLISECONDS)).isNull();
  }
}
