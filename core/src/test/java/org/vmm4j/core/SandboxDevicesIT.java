package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.vmm4j.core.api.BlockDriver;
import org.vmm4j.core.api.BlockFormat;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DeviceKind;
import org.vmm4j.core.api.DiskSpec;
import org.vmm4j.core.api.HotplugException;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.core.api.VfioSpec;
import org.vmm4j.core.api.VhostUserSpec;
import org.vmm4j.persist.Bridge;
import org.vmm4j.persist.DeviceState;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.testing.devices.FakeSysfs;
import org.vmm4j.testing.qemu.HaltKernel;

/**
 * {@link SandboxDevices} through a real {@link Sandbox} (q35, TCG, {@link HaltKernel}: no guest;
 * native PCIe hotplug, so that a never-powered slot releases a device at once): every plug and
 * unplug is saved, restores from the state on disk (a second controller object in this JVM respects
 * the first one's devices), eight threads do not corrupt it, and failures leave QEMU and the state
 * as they were.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SandboxDevicesIT {
  static final int PORTS = 4;

  HaltedSandbox h;
  SandboxDevices devices;

  @BeforeAll
  void start() throws IOException {
    assumeTrue(HaltedSandbox.available(), HaltedSandbox.QEMU + " not installed");
    h =
        HaltedSandbox.start(
            "sd1",
            b ->
                b.editKata(k -> k.pcieRootPort(PORTS).blockDeviceDriver("virtio-scsi"))
                    .editLive(l -> l.nativePcieHotplug(true).sharedMemory(true)));
    devices = h.sandbox.devices();
  }

  @AfterAll
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  private DeviceState deviceState(String id) {
    List<DeviceState> ds = h.state().devices();
    return ds == null ? null : ds.stream().filter(d -> d.id().equals(id)).findFirst().orElse(null);
  }

  private Bridge bridgeAt(long slot) {
    return h.state().hypervisorState().bridges().stream()
        .filter(b -> b.addr() == slot)
        .findFirst()
        .orElseThrow();
  }

  private Bridge bridge(String id) {
    return h.state().hypervisorState().bridges().stream()
        .filter(b -> b.id().equals(id))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void virtioBlkAndScsiDisksAreRecordedAndLeaveNoTrace() throws IOException {
    Device blk =
        devices.plugDisk(DiskSpec.raw(h.disk("a.raw", 1)).withDriver(BlockDriver.VIRTIO_BLK));
    DeviceState st = deviceState(blk.id());
    assertThat(st.type()).isEqualTo("block");
    assertThat(st.attachCount()).isEqualTo(1);
    assertThat(st.blockDrive().pciPath()).isEqualTo(blk.pciPath());
    String qemuId = "virtio-" + st.blockDrive().id();
    assertThat(blk.details()).containsEntry("qemu-id", qemuId);
    assertThat(blk.kind()).isEqualTo(DeviceKind.BLOCK);
    assertThat(blk.qemuId()).isEqualTo(qemuId);
    assertThat(blk.lines()).containsExactly(blk.id() + " " + blk.pciPath() + " " + details(blk));
    // the bridge at the path's first slot holds the device at its second
    Bridge bridge = bridgeAt(blk.pciPath().slots().get(0));
    assertThat(bridge.deviceAddr()).containsEntry((long) blk.pciPath().slots().get(1), qemuId);
    assertThat(h.state().hypervisorState().blockIndexMap()).contains(0L);
    assertThat(h.peripheral()).contains(qemuId);
    assertThat(h.nodes()).contains(st.blockDrive().id());

    Device scsi =
        devices.plugDisk(
            DiskSpec.raw(h.disk("b.raw", 1)).withReadOnly(true)); // the sandbox's: virtio-scsi
    assertThat(scsi.pciPath().isNil()).isTrue();
    assertThat(scsi.details()).containsEntry("scsi", "0:1").containsEntry("readonly", "true");
    assertThat(deviceState(scsi.id()).blockDrive().scsiAddr()).isEqualTo("0:1");

    assertThat(scsi.qemuId()).isEqualTo(scsi.details().get("qemu-id"));
    assertThat(scsi.lines()).containsExactly(scsi.id() + " - " + details(scsi));
    assertThat(devices.list())
        .extracting(Device::id, Device::kind, Device::qemuId, Device::pciPath)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(blk.id(), DeviceKind.BLOCK, qemuId, blk.pciPath()),
            org.assertj.core.groups.Tuple.tuple(
                scsi.id(), DeviceKind.BLOCK, scsi.qemuId(), scsi.pciPath()));
    assertThat(devices.find(scsi.qemuId())).map(Device::id).contains(scsi.id());

    devices.unplug(scsi.qemuId()); // the QEMU id works too
    devices.unplug(blk.id());
    assertThat(h.state().devices()).isNullOrEmpty();
    assertThat(bridge(bridge.id()).deviceAddr()).isNullOrEmpty();
    assertThat(h.state().hypervisorState().blockIndexMap()).isEmpty();
    assertThat(h.peripheral()).doesNotContain(qemuId, scsi.qemuId());
    assertThat(devices.list()).isEmpty();
    assertThat(h.nodes()).isEmpty();
  }

  @Test
  void aSecondControllerObjectRespectsTheFirstOnesDevices() throws IOException {
    Device first = devices.plugDisk(DiskSpec.raw(h.disk("c.raw", 1)));
    try (Sandbox second = Sandbox.restore(h.store, h.sandbox.id())) {
      Device other = second.devices().plugDisk(DiskSpec.raw(h.disk("d.raw", 1)));
      assertThat(other.id()).isNotEqualTo(first.id());
      assertThat(other.details().get("scsi")).isNotEqualTo(first.details().get("scsi"));
      assertThat(h.state().devices()).extracting(DeviceState::id).contains(first.id(), other.id());
      second.devices().unplug(first.id());
      devices.unplug(other.id());
    }
    assertThat(h.state().devices()).isNullOrEmpty();
    assertThat(h.nodes()).isEmpty();
  }

  @Test
  void eightThreadsOnTwoControllerObjectsPlugAndUnplugSixteenDisks() throws Exception {
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      files.add(h.disk("t" + i + ".raw", 1));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (Sandbox second = Sandbox.restore(h.store, h.sandbox.id())) {
      List<Future<Device>> plugs = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        SandboxDevices d = (i % 2 == 0 ? h.sandbox : second).devices();
        DiskSpec disk = DiskSpec.raw(files.get(i)).withDriver(BlockDriver.VIRTIO_BLK);
        plugs.add(pool.submit(() -> d.plugDisk(disk)));
      }
      List<Device> plugged = new ArrayList<>();
      for (Future<Device> f : plugs) {
        plugged.add(f.get(60, TimeUnit.SECONDS));
      }
      SandboxState st = h.state();
      assertThat(st.devices()).hasSize(16);
      Set<String> paths = new HashSet<>();
      plugged.forEach(p -> assertThat(paths.add(p.pciPath().toString())).isTrue());
      assertThat(st.hypervisorState().blockIndexMap()).hasSize(16);
      long slotsTaken =
          st.hypervisorState().bridges().stream()
              .mapToLong(b -> b.deviceAddr() == null ? 0 : b.deviceAddr().size())
              .sum();
      assertThat(slotsTaken).isEqualTo(16);
      assertThat(h.peripheral().stream().filter(p -> p.startsWith("virtio-drive-"))).hasSize(16);

      List<Future<?>> unplugs = new ArrayList<>();
      for (int i = 0; i < plugged.size(); i++) {
        SandboxDevices d = (i % 2 == 1 ? h.sandbox : second).devices();
        String id = plugged.get(i).id();
        unplugs.add(pool.submit(() -> d.unplug(id)));
      }
      for (Future<?> f : unplugs) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(h.state().devices()).isNullOrEmpty();
    assertThat(h.state().hypervisorState().blockIndexMap()).isEmpty();
    assertThat(h.peripheral()).noneMatch(p -> p.startsWith("virtio-drive-"));
    assertThat(h.nodes()).isEmpty();
  }

  @Test
  void failedPlugsLeaveQemuAndTheStateAsTheyWere() throws Exception {
    byte[] before = h.stateBytes();
    var peripheral = h.peripheral();
    var chardevs = h.chardevs();
    // blockdev-add fails: a raw file is no qcow2 image
    Path raw = h.disk("e.raw", 1);
    assertThatThrownBy(() -> devices.plugDisk(DiskSpec.raw(raw).withFormat(BlockFormat.QCOW2)))
        .isInstanceOf(HotplugException.class)
        .hasMessageContaining("blockdev-add");
    // a socket nobody listens on: QEMU cannot connect
    Path stale = h.root.resolve("stale.sock");
    try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(stale));
    }
    assertThatThrownBy(() -> devices.plugVhostUser(new VhostUserSpec.Blk(stale)))
        .isInstanceOf(HotplugException.class)
        .hasMessageContaining("no vhost-user daemon accepts connections on " + stale);
    // a daemon that hangs up: chardev-add works, device_add fails, the chardev is removed
    try (DeadDaemon dead = new DeadDaemon(h.root.resolve("dead.sock"))) {
      assertThatThrownBy(() -> devices.plugVhostUser(new VhostUserSpec.Scsi(dead.path)))
          .isInstanceOf(HotplugException.class)
          .hasMessageContaining("device_add")
          .hasMessageContaining("rolled back");
    }
    // nothing at the path
    assertThatThrownBy(() -> devices.plugVhostUser(new VhostUserSpec.Blk(h.root.resolve("none"))))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessageContaining("no vhost-user daemon: nothing at the socket path");
    // VFIO: a group found in a sysfs tree whose device the host does not have
    FakeSysfs sysfs =
        new FakeSysfs(h.root.resolve("sysfs"))
            .pci("0000:3f:1f.0", 77, true, "0x020000", "vfio-pci");
    assertThatThrownBy(() -> devices.plugVfio(new VfioSpec("0000:3f:1f.0", sysfs.root(), false)))
        .isInstanceOf(HotplugException.class)
        .hasMessageContaining("vfio-pci")
        .hasMessageContaining("rolled back");
    if (!Files.exists(VfioSpec.DEV_VFIO)) {
      assertThatThrownBy(() -> devices.plugVfio(VfioSpec.of("0000:00:1f.0")))
          .isInstanceOf(HotplugRefusedException.class)
          .hasMessageContaining("no /dev/vfio");
    }
    assertThatThrownBy(() -> devices.unplug("no-such-device"))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessageContaining("unplug no-such-device: no such device");
    assertThatThrownBy(() -> devices.unplug("rp3"))
        .hasMessageContaining("QEMU has a device rp3 that vmm4j did not hot-plug");
    assertThat(new String(h.stateBytes())).isEqualTo(new String(before));
    assertThat(h.peripheral()).isEqualTo(peripheral);
    assertThat(h.chardevs()).isEqualTo(chardevs);
    assertThat(h.nodes()).isEmpty();
  }

  @Test
  void aHostDeviceIsPluggedOnceThroughAnyPath() throws IOException {
    Path f = h.disk("once.raw", 1);
    Path link = Files.createSymbolicLink(h.root.resolve("once-link.raw"), f);
    Path hard = Files.createLink(h.root.resolve("once-hard.raw"), f);
    Path dot = h.root.resolve(".").resolve("once.raw");
    Device d = devices.plugDisk(DiskSpec.raw(f));
    byte[] before = h.stateBytes();
    Set<String> peripheral = h.peripheral();
    assertThatThrownBy(() -> devices.plugDisk(DiskSpec.raw(f)))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessageContaining("in the sandbox already, as device " + d.id());
    for (Path p : List.of(link, hard, dot)) {
      assertThatThrownBy(() -> devices.plugDisk(DiskSpec.raw(p).withReadOnly(true)))
          .as(p.toString())
          .isInstanceOf(HotplugRefusedException.class)
          .hasMessageContaining(
              "in the sandbox already, as device "
                  + d.id()
                  + " (plugged): "
                  + p
                  + " is the same file as "
                  + f);
    }
    assertThat(new String(h.stateBytes())).isEqualTo(new String(before));
    assertThat(h.peripheral()).isEqualTo(peripheral);
    devices.unplug(d.id());
  }

  /** {@code key=value} pairs of a device's details, as its line shows them. */
  static String details(Device d) {
    return String.join(
        " ", d.details().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
  }

  /** A vhost-user "daemon" that accepts each connection and closes it at once. */
  static final class DeadDaemon implements AutoCloseable {
    final Path path;
    private final ServerSocketChannel server;
    private final Thread thread;

    DeadDaemon(Path path) throws IOException {
      this.path = path;
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(path));
      thread =
          new Thread(
              () -> {
                while (server.isOpen()) {
                  try (SocketChannel c = server.accept()) {
                    // hang up
                  } catch (IOException e) {
                    return;
                  }
                }
              },
              "dead-daemon");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() throws Exception {
      server.close();
      thread.join(5000);
      Files.deleteIfExists(path);
    }
  }
}
