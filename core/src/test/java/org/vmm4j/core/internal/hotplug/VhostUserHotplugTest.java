package org.vmm4j.core.internal.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.devices.DeviceKind;
import org.vmm4j.devices.Placement;
import org.vmm4j.persist.PciPath;
import org.vmm4j.persist.VhostUserDeviceAttrs;

class VhostUserHotplugTest {
  static final String CHARDEV_ADD =
      "chardev-add {\"id\":\"n1\",\"backend\":{\"type\":\"socket\",\"data\":{\"addr\":"
          + "{\"type\":\"unix\",\"data\":{\"path\":\"/run/vu.sock\"}},\"server\":false}}}";
  static final String NETDEV_ADD =
      "netdev_add {\"type\":\"vhost-user\",\"id\":\"net-n1\",\"chardev\":\"n1\"}";
  static final String NET_ADD =
      "device_add {\"driver\":\"virtio-net-pci\",\"id\":\"virtio-n1\",\"netdev\":\"net-n1\","
          + "\"mac\":\"52:54:00:aa:bb:01\",\"bus\":\"rp0\"}";
  static final String CHARDEV_REMOVE = "chardev-remove {\"id\":\"n1\"}";
  static final String NETDEV_DEL = "netdev_del {\"id\":\"net-n1\"}";
  static final Path SOCKET = Path.of("/run/vu.sock");

  private final HotplugHarness h = HotplugHarness.q35();
  private final VhostUserHotplug flow = new VhostUserHotplug(h.ctx);
  private final VhostUserRequest net =
      new VhostUserRequest.Net("n1", SOCKET, "52:54:00:aa:bb:01", Placement.ROOT_PORT);

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void networkDevice() {
    PluggedVhostUser p = flow.plug(net);
    assertThat(h.sent()).containsExactly(CHARDEV_ADD, NETDEV_ADD, NET_ADD);
    assertThat(p.toAttrs())
        .isEqualTo(
            new VhostUserDeviceAttrs(
                "n1",
                "/run/vu.sock",
                "virtio-net-pci",
                "52:54:00:aa:bb:01",
                PciPath.parse("03/00"),
                -1));
    assertThat(PluggedVhostUser.fromAttrs(p.toAttrs())).isEqualTo(p);
    flow.unplug(p);
    assertThat(h.sent())
        .containsExactly(
            CHARDEV_ADD,
            NETDEV_ADD,
            NET_ADD,
            "device_del {\"id\":\"virtio-n1\"}",
            NETDEV_DEL,
            CHARDEV_REMOVE);
    assertNothingHeld();
  }

  @Test
  void blkScsiAndFs() {
    PluggedVhostUser blk =
        flow.plug(
            new VhostUserRequest.Blk("blk-1", SOCKET, Placement.PCI_BRIDGE, OptionalInt.of(1)));
    flow.plug(new VhostUserRequest.Scsi("scsi-1", SOCKET, Placement.PCI_BRIDGE));
    flow.plug(new VhostUserRequest.Fs("fs-1", SOCKET, "myfs", 0, Placement.ROOT_PORT));
    assertThat(h.sent())
        .filteredOn(l -> l.startsWith("device_add"))
        .containsExactly(
            "device_add {\"driver\":\"vhost-user-blk-pci\",\"id\":\"virtio-blk-1\","
                + "\"chardev\":\"blk-1\",\"num-queues\":1,\"bus\":\"pci-bridge-0\",\"addr\":\"01\"}",
            "device_add {\"driver\":\"vhost-user-scsi-pci\",\"id\":\"virtio-scsi-1\","
                + "\"chardev\":\"scsi-1\",\"bus\":\"pci-bridge-0\",\"addr\":\"02\"}",
            "device_add {\"driver\":\"vhost-user-fs-pci\",\"id\":\"virtio-fs-1\","
                + "\"chardev\":\"fs-1\",\"tag\":\"myfs\",\"bus\":\"rp0\"}");
    assertThat(blk.index()).isZero();
    assertThat(blk.toAttrs().type()).isEqualTo("vhost-user-blk-pci");
    assertThat(blk.toAttrs().pciPath()).hasToString("02/01");
    flow.unplug(blk);
    assertThat(h.sent())
        .endsWith("device_del {\"id\":\"virtio-blk-1\"}", "chardev-remove {\"id\":\"blk-1\"}");
    assertThat(h.ctx.blockIndexes().size()).isZero();
  }

  @Test
  void refusedWithoutSharedMemory() {
    try (HotplugHarness plain = HotplugHarness.q35(HotplugHarness.PLAIN)) {
      assertThatThrownBy(() -> new VhostUserHotplug(plain.ctx).plug(net))
          .isInstanceOf(HotplugRefusedException.class)
          .hasMessage(
              "sandbox sb1: hotplug virtio-net-pci virtio-n1 (/run/vu.sock): vhost-user needs"
                  + " guest memory shared with the daemon (a file or memfd backend with share=on:"
                  + " HugePages, FileBackedMemRootDir, virtio-fs, EnableVhostUserStore or"
                  + " SharedMemory), but this sandbox's memory is memory-backend-ram, not shared:"
                  + " the guest would hang");
      assertThat(plain.sent()).isEmpty();
    }
    try (HotplugHarness none = HotplugHarness.q35(null)) {
      assertThatThrownBy(() -> new VhostUserHotplug(none.ctx).plug(net))
          .hasMessageContaining("this sandbox's memory is plain RAM");
    }
  }

  @Test
  void aDaxWindowIsRefusedWhenQemuHasNone() {
    h.fake
        .on("device-list-properties")
        .reply("[{\"name\":\"chardev\",\"type\":\"str\"},{\"name\":\"tag\",\"type\":\"str\"}]");
    assertThatThrownBy(
            () ->
                flow.plug(new VhostUserRequest.Fs("fs-1", SOCKET, "t", 1024, Placement.ROOT_PORT)))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessageEndingWith(
            "this QEMU's vhost-user-fs-pci has no cache-size property (no DAX"
                + " window, VirtioFSCacheSize must be 0)");
    assertThat(h.sent())
        .containsExactly("device-list-properties {\"typename\":\"vhost-user-fs-pci\"}");
    // a QEMU with DAX gets the size in bytes
    h.fake.on("device-list-properties").reply("[{\"name\":\"cache-size\",\"type\":\"size\"}]");
    flow.plug(new VhostUserRequest.Fs("fs-1", SOCKET, "t", 1024, Placement.ROOT_PORT));
    assertThat(h.sent().get(h.sent().size() - 1)).contains("\"cache-size\":1073741824");
  }

  @Test
  void rollbackWhenChardevAddFails() {
    h.fake.on("chardev-add").error("GenericError", "Failed to connect to '/run/vu.sock'");
    assertThatThrownBy(() -> flow.plug(net))
        .isInstanceOf(HotplugException.class)
        .hasMessageEndingWith("Failed to connect to '/run/vu.sock' (GenericError)");
    assertThat(h.sent()).containsExactly(CHARDEV_ADD);
    assertNothingHeld();
  }

  @Test
  void rollbackWhenNetdevAddFails() {
    h.fake.on("netdev_add").error("GenericError", "no");
    assertThatThrownBy(() -> flow.plug(net)).hasMessageEndingWith("rolled back: chardev-remove n1");
    assertThat(h.sent()).containsExactly(CHARDEV_ADD, NETDEV_ADD, CHARDEV_REMOVE);
  }

  @Test
  void rollbackWhenNoRootPortIsFree() {
    h.ctx.topology().reserve("a", Placement.ROOT_PORT);
    h.ctx.topology().reserve("b", Placement.ROOT_PORT);
    assertThatThrownBy(() -> flow.plug(net))
        .hasMessageEndingWith("rolled back: netdev_del net-n1, chardev-remove n1");
    assertThat(h.sent()).containsExactly(CHARDEV_ADD, NETDEV_ADD, NETDEV_DEL, CHARDEV_REMOVE);
  }

  @Test
  void rollbackWhenDeviceAddFails() {
    h.fake.on("device_add").error("GenericError", "vhost-user: backend refused");
    assertThatThrownBy(() -> flow.plug(net))
        .hasMessageEndingWith(
            "rolled back: release slot 03/00 (rp0), netdev_del net-n1, chardev-remove n1");
    assertThat(h.sent())
        .containsExactly(CHARDEV_ADD, NETDEV_ADD, NET_ADD, NETDEV_DEL, CHARDEV_REMOVE);
    assertNothingHeld();
  }

  @Test
  void blkRollbackReleasesItsIndex() {
    h.fake.on("device_add").error("GenericError", "no");
    assertThatThrownBy(
            () ->
                flow.plug(
                    new VhostUserRequest.Blk(
                        "blk-1", SOCKET, Placement.ROOT_PORT, OptionalInt.empty())))
        .hasMessageEndingWith(
            "rolled back: release slot 03/00 (rp0), release block index 0, chardev-remove blk-1");
    assertThat(h.names()).containsExactly("chardev-add", "device_add", "chardev-remove");
    assertNothingHeld();
  }

  @Test
  void unplugTimeoutKeepsBackendsAndSlot() {
    PluggedVhostUser p = flow.plug(net);
    h.fake.on("device_del").reply("{}");
    assertThatThrownBy(() -> flow.unplug(p))
        .isInstanceOf(DeviceStillPresentException.class)
        .hasMessageEndingWith("still taken: slot 03/00 (rp0), netdev net-n1, chardev n1");
    assertThat(h.names()).endsWith("device_del", "qom-list");
    assertThat(h.ctx.topology().find("virtio-n1")).isPresent();
  }

  @Test
  void unplugReportsABackendThatStays() {
    PluggedVhostUser p = flow.plug(net);
    h.fake.on("netdev_del").error("GenericError", "netdev busy");
    assertThatThrownBy(() -> flow.unplug(p))
        .isInstanceOf(HotplugException.class)
        .hasMessageContaining("the device is gone (slot freed) but netdev_del id=net-n1")
        .hasMessageEndingWith("left: netdev net-n1");
    assertThat(h.names()).endsWith("device_del", "netdev_del", "chardev-remove");
    assertNothingHeld();
  }

  @Test
  void kinds() {
    assertThat(net.kind()).isEqualTo(DeviceKind.VHOST_USER_NET);
    assertThatThrownBy(() -> new VhostUserRequest.Scsi("1bad", SOCKET, Placement.ROOT_PORT))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private void assertNothingHeld() {
    assertThat(h.ctx.topology().freeSlots(Placement.ROOT_PORT)).isEqualTo(2);
    assertThat(h.ctx.topology().freeSlots(Placement.PCI_BRIDGE)).isEqualTo(30);
    assertThat(h.ctx.blockIndexes().size()).isZero();
  }
}
