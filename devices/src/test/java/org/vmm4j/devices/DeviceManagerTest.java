package org.vmm4j.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.persist.BlockDrive;
import org.vmm4j.persist.DeviceState;
import org.vmm4j.persist.PciPath;
import org.vmm4j.persist.PersistCodec;
import org.vmm4j.persist.VfioDev;
import org.vmm4j.persist.VhostUserDeviceAttrs;

class DeviceManagerTest {
  private final AtomicInteger next = new AtomicInteger();
  private final Supplier<String> ids = () -> String.format("%016x", next.incrementAndGet());
  private final DeviceManager m = new DeviceManager("sb", "virtio-blk", ids);

  private static final BlockDrive DRIVE =
      BlockDrive.builder()
          .file("/dev/sdb")
          .format("raw")
          .id("drive-0000000000000001")
          .index(0)
          .pciPath(PciPath.parse("02/01"))
          .virtPath("/dev/vda")
          .build();

  @Test
  void aDiskFileReachedThroughAnotherPathIsTheSameDevice(@TempDir Path dir) throws IOException {
    Path file = Files.write(dir.resolve("a.raw"), new byte[4096]);
    Path link = Files.createSymbolicLink(dir.resolve("link.raw"), file);
    Path hard = Files.createLink(dir.resolve("hard.raw"), file);
    Path other = Files.write(dir.resolve("b.raw"), new byte[4096]);
    ManagedDevice a = m.newDevice(HostDevice.block(file.toString(), 0, 0, false));
    for (Path p : List.of(link, hard, dir.resolve(".").resolve("a.raw"))) {
      assertThat(m.findSame(HostDevice.block(p.toString(), 0, 0, false)))
          .as(p.toString())
          .map(ManagedDevice::id)
          .contains(a.id());
    }
    assertThat(m.newDevice(HostDevice.block(link.toString(), 0, 0, true)).id())
        .as("one more reference, as for the same path")
        .isEqualTo(a.id());
    assertThat(m.find(a.id()).orElseThrow().refCount()).isEqualTo(2);
    assertThat(m.findSame(HostDevice.block(other.toString(), 0, 0, false))).isEmpty();
    assertThat(m.findSame(HostDevice.block("a.raw", 0, 0, false)))
        .as("a relative path is no file of its own")
        .isEmpty();
  }

  @Test
  void aBlockDeviceRecordedByPathIsFoundByItsNumber() {
    String loop = "/dev/loop0"; // major 7 on Linux
    Assumptions.assumeTrue(
        FileIdentity.of(loop).equals(Optional.of(FileIdentity.blockDevice(7, 0))),
        "no block device 7:0 at " + loop);
    ManagedDevice a = m.newDevice(HostDevice.block(loop, 0, 0, false));
    assertThat(m.findSame(HostDevice.block("/dev/block/7:0", 7, 0, false)))
        .map(ManagedDevice::id)
        .contains(a.id());
    assertThat(m.findSame(HostDevice.block("/dev/block/7:1", 7, 1, false))).isEmpty();
  }

  @Test
  void theSameHostDeviceIsOneDeviceReferencedTwice() {
    ManagedDevice a = m.newDevice(HostDevice.block("/dev/sdb", 8, 16, false));
    ManagedDevice b = m.newDevice(HostDevice.block("/dev/disk/by-id/x", 8, 16, false));
    ManagedDevice c = m.newDevice(HostDevice.block("/dev/sdc", 8, 32, false));
    assertThat(a.id()).isEqualTo("0000000000000001").isEqualTo(b.id());
    assertThat(b.refCount()).isEqualTo(2);
    assertThat(c.id()).isEqualTo("0000000000000002");
    // files have no device number: the path identifies them
    ManagedDevice f1 = m.newDevice(HostDevice.block("/img/a.raw", 0, 0, true));
    ManagedDevice f2 = m.newDevice(HostDevice.block("/img/a.raw", 0, 0, true));
    ManagedDevice f3 = m.newDevice(HostDevice.block("/img/b.raw", 0, 0, true));
    assertThat(f2.id()).isEqualTo(f1.id());
    assertThat(f3.id()).isNotEqualTo(f1.id());
    assertThat(a.info().driverOptions()).containsEntry("block-driver", "virtio-blk");
  }

  @Test
  void firstAttachPlugsLaterOnesCountLastDetachUnplugs() {
    String id = m.newDevice(HostDevice.block("/dev/sdb", 8, 16, false)).id();
    AtomicInteger plugs = new AtomicInteger();
    AtomicInteger unplugs = new AtomicInteger();
    ManagedDevice d =
        m.attach(
            id,
            dev -> {
              plugs.incrementAndGet();
              return new Attachment.Block(DRIVE);
            });
    assertThat(d.attachCount()).isEqualTo(1);
    assertThat(m.attach(id, dev -> new Attachment.None()).attachCount()).isEqualTo(2);
    assertThat(plugs).hasValue(1);
    assertThat(m.find(id).orElseThrow().attachment()).isEqualTo(new Attachment.Block(DRIVE));
    assertThat(m.detach(id, dev -> unplugs.incrementAndGet()).attachCount()).isEqualTo(1);
    assertThat(unplugs).hasValue(0);
    ManagedDevice off = m.detach(id, dev -> unplugs.incrementAndGet());
    assertThat(unplugs).hasValue(1);
    assertThat(off.attachCount()).isZero();
    assertThat(off.attachment()).isEqualTo(new Attachment.None());
    assertThatThrownBy(() -> m.detach(id, dev -> {}))
        .isInstanceOf(DeviceStateException.class)
        .hasMessage("sandbox sb: detach device " + id + ": it is not attached");
  }

  @Test
  void failedRealAttachOrDetachChangesNoCount() {
    String id = m.newDevice(HostDevice.block("/dev/sdb", 8, 16, false)).id();
    assertThatThrownBy(
            () ->
                m.attach(
                    id,
                    dev -> {
                      throw new IllegalStateException("device_add refused");
                    }))
        .hasMessage("device_add refused");
    assertThat(m.find(id).orElseThrow().attachCount()).isZero();
    m.attach(id, dev -> new Attachment.Block(DRIVE));
    assertThatThrownBy(
            () ->
                m.detach(
                    id,
                    dev -> {
                      throw new IllegalStateException("still present");
                    }))
        .hasMessage("still present");
    ManagedDevice d = m.find(id).orElseThrow();
    assertThat(d.attachCount()).isEqualTo(1);
    assertThat(d.attachment()).isEqualTo(new Attachment.Block(DRIVE));
  }

  @Test
  void removingTheLastReferenceOfAnAttachedDeviceIsRefusedWithoutChangingCounts() {
    String id = m.newDevice(HostDevice.block("/dev/sdb", 8, 16, false)).id();
    m.newDevice(HostDevice.block("/dev/sdb", 8, 16, false));
    m.attach(id, dev -> new Attachment.Block(DRIVE));
    assertThat(m.removeDevice(id).refCount()).isEqualTo(1); // one container still uses it
    assertThatThrownBy(() -> m.removeDevice(id))
        .isInstanceOf(DeviceStateException.class)
        .hasMessage(
            "sandbox sb: remove device "
                + id
                + ": it is still attached (1 attach(es));"
                + " detach it first");
    assertThat(m.find(id).orElseThrow().refCount()).as("Kata would have decremented").isEqualTo(1);
    m.detach(id, dev -> {});
    assertThat(m.removeDevice(id).refCount()).isZero();
    assertThat(m.find(id)).isEmpty();
    assertThatThrownBy(() -> m.removeDevice(id))
        .hasMessage("sandbox sb: remove device " + id + ": no such device");
    assertThatThrownBy(() -> m.attach(id, dev -> new Attachment.None()))
        .hasMessage("sandbox sb: attach device " + id + ": no such device");
    // gone: the same host device is a new device now
    assertThat(m.newDevice(HostDevice.block("/dev/sdb", 8, 16, false)).id()).isNotEqualTo(id);
  }

  @Test
  void deviceStatesPerKindAndBack() {
    String blk = m.newDevice(HostDevice.block("/dev/sdb", 8, 16, false)).id();
    String vfio = m.newDevice(HostDevice.vfio("/dev/vfio/12", 243, 1)).id();
    String vub = m.newDevice(HostDevice.vhostUser(DeviceKind.VHOST_USER_BLK, "/run/v.sock")).id();
    String net = m.newDevice(HostDevice.vhostUser(DeviceKind.VHOST_USER_NET, "/run/n.sock")).id();
    String fs = m.newDevice(HostDevice.vhostUser(DeviceKind.VHOST_USER_FS, "/run/f.sock")).id();
    String scsi = m.newDevice(HostDevice.vhostUser(DeviceKind.VHOST_USER_SCSI, "/run/s.sock")).id();
    m.attach(blk, d -> new Attachment.Block(DRIVE));
    List<VfioDev> devs = List.of(new VfioDev("vfio-x0", 1, "02:00.0", ""));
    m.attach(vfio, d -> new Attachment.Vfio(devs));
    VhostUserDeviceAttrs attrs =
        new VhostUserDeviceAttrs(
            "blk-1", "/run/v.sock", "vhost-user-blk-pci", "", PciPath.parse("04/00"), 1);
    m.attach(vub, d -> new Attachment.VhostUser(attrs));
    List<DeviceState> states = m.toDeviceStates();
    assertThat(states)
        .extracting(DeviceState::type)
        .containsExactly(
            "block",
            "vfio",
            "vhost-user-blk-pci",
            "virtio-net-pci",
            "vhost-user-fs-pci",
            "vhost-user-scsi-pci");
    DeviceState b = states.get(0);
    assertThat(b.id()).isEqualTo(blk);
    assertThat(b.refCount()).isEqualTo(1);
    assertThat(b.attachCount()).isEqualTo(1);
    assertThat(b.devType()).isEqualTo("b");
    assertThat(b.major()).isEqualTo(8);
    assertThat(b.minor()).isEqualTo(16);
    assertThat(b.driverOptions()).isEqualTo(Map.of("block-driver", "virtio-blk"));
    assertThat(b.blockDrive()).isEqualTo(DRIVE);
    assertThat(states.get(1).vfioDevs()).isEqualTo(devs);
    assertThat(states.get(2).vhostUserDev()).isEqualTo(attrs);
    assertThat(states.get(2).driverOptions()).containsEntry("block-driver", "virtio-blk");
    assertThat(states.get(3).blockDrive()).isNull();
    assertThat(states.get(3).attachCount()).isZero();

    // through JSON and back: same states, same dedupe by device number and path
    List<DeviceState> decoded =
        states.stream()
            .map(s -> PersistCodec.decodeValue(DeviceState.class, PersistCodec.encodeValue(s), "t"))
            .toList();
    DeviceManager back = DeviceManager.restore("sb", "virtio-blk", decoded);
    assertThat(back.toDeviceStates()).isEqualTo(states);
    assertThat(back.newDevice(HostDevice.block("/dev/sdb", 8, 16, false)).id()).isEqualTo(blk);
    assertThat(back.newDevice(HostDevice.vhostUser(DeviceKind.VHOST_USER_BLK, "/run/v.sock")).id())
        .isEqualTo(vub);
    assertThat(back.find(blk).orElseThrow().refCount()).isEqualTo(2);
    assertThat(net).isNotEqualTo(fs).isNotEqualTo(scsi);
  }

  @Test
  void restoreRefusesAnUnknownType() {
    DeviceState odd = DeviceState.builder().id("x").type("nvme").build();
    assertThatThrownBy(() -> DeviceManager.restore("sb", "virtio-blk", List.of(odd)))
        .isInstanceOf(DeviceStateException.class)
        .hasMessage("sandbox sb: device x: unknown Type \"nvme\"");
    assertThat(DeviceManager.restore("sb", "virtio-blk", null).devices()).isEmpty();
  }

  @Test
  void idsAreRetriedThenExhausted() {
    DeviceManager same = new DeviceManager("sb", "virtio-blk", () -> "0123");
    same.newDevice(HostDevice.block("/a", 0, 0, false));
    assertThatThrownBy(() -> same.newDevice(HostDevice.block("/b", 0, 0, false)))
        .hasMessage("sandbox sb: new device: 5 ids drawn, all in use");
    DeviceManager random = new DeviceManager("sb", "virtio-scsi");
    assertThat(random.newDevice(HostDevice.block("/a", 0, 0, false)).id()).matches("[0-9a-f]{16}");
  }
}
