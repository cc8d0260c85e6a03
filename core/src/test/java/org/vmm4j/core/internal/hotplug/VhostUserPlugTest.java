package org.vmm4j.core.internal.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DeviceStillPresentException;
import org.vmm4j.core.api.HotplugException;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.devices.Attachment;
import org.vmm4j.devices.DeviceKind;
import org.vmm4j.devices.HostDevice;
import org.vmm4j.devices.Placement;
import org.vmm4j.persist.PciPath;
import org.vmm4j.persist.StoredSandbox;
import org.vmm4j.persist.VhostUserDeviceAttrs;

/**
 * {@link VhostUserPlug} in a transaction: refused without shared guest memory; chardev, netdev,
 * index and slot each undone on failure; the unplug of the device read back from the state ({@link
 * Unplug}): device, then netdev, then chardev.
 */
class VhostUserPlugTest {
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
  private final StoredSandbox fresh = h.stored();
  private final VhostUserRequest net =
      new VhostUserRequest.Net("n1", SOCKET, "52:54:00:aa:bb:01", Placement.ROOT_PORT);

  @AfterEach
  void close() {
    h.close();
  }

  private VhostUserDeviceAttrs plug(VhostUserRequest r) {
    return h.run(tx -> VhostUserPlug.plug(tx, r));
  }

  /** Plugs {@code r} and records it in {@code Devices}; returns its id. */
  private String plugged(VhostUserRequest r) {
    String id =
        h.run(
            tx -> {
              VhostUserDeviceAttrs a = VhostUserPlug.plug(tx, r);
              HostDevice info = HostDevice.vhostUser(r.kind(), r.socket().toString());
              return HotplugHarness.record(tx, info, new Attachment.VhostUser(a)).id();
            });
    h.forgetSaves();
    return id;
  }

  private Device unplug(String id) {
    return h.run(tx -> DeviceUnplugs.unplug(tx, id));
  }

  @Test
  void networkDevice() {
    assertThat(plug(net))
        .isEqualTo(
            new VhostUserDeviceAttrs(
                "n1",
                "/run/vu.sock",
                "virtio-net-pci",
                "52:54:00:aa:bb:01",
                PciPath.parse("03/00"),
                -1));
    assertThat(h.sent()).containsExactly(CHARDEV_ADD, NETDEV_ADD, NET_ADD);
  }

  @Test
  void networkDeviceUnplugsDeviceNetdevChardev() {
    String id = plugged(net);
    Device d = unplug("virtio-n1");
    assertThat(d.id()).isEqualTo(id);
    assertThat(d.kind()).isEqualTo(org.vmm4j.core.api.DeviceKind.VHOST_USER_NET);
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
    String blk =
        plugged(new VhostUserRequest.Blk("blk-1", SOCKET, Placement.PCI_BRIDGE, OptionalInt.of(1)));
    plug(new VhostUserRequest.Scsi("scsi-1", SOCKET, Placement.PCI_BRIDGE));
    plug(new VhostUserRequest.Fs("fs-1", SOCKET, "myfs", 0, Placement.ROOT_PORT));
    assertThat(h.sent())
        .filteredOn(l -> l.startsWith("device_add"))
        .containsExactly(
            "device_add {\"driver\":\"vhost-user-blk-pci\",\"id\":\"virtio-blk-1\","
                + "\"chardev\":\"blk-1\",\"num-queues\":1,\"bus\":\"pci-bridge-0\",\"addr\":\"01\"}",
            "device_add {\"driver\":\"vhost-user-scsi-pci\",\"id\":\"virtio-scsi-1\","
                + "\"chardev\":\"scsi-1\",\"bus\":\"pci-bridge-0\",\"addr\":\"02\"}",
            "device_add {\"driver\":\"vhost-user-fs-pci\",\"id\":\"virtio-fs-1\","
                + "\"chardev\":\"fs-1\",\"tag\":\"myfs\",\"bus\":\"rp0\"}");
    VhostUserDeviceAttrs attrs = h.stored().sandbox().devices().get(0).vhostUserDev();
    assertThat(attrs.index()).isZero();
    assertThat(attrs.type()).isEqualTo("vhost-user-blk-pci");
    assertThat(attrs.pciPath()).hasToString("02/01");
    assertThat(h.stored().sandbox().hypervisorState().blockIndexMap()).containsExactly(0L);
    unplug(blk);
    assertThat(h.sent())
        .endsWith("device_del {\"id\":\"virtio-blk-1\"}", "chardev-remove {\"id\":\"blk-1\"}");
    assertThat(h.model().blockIndexes().size()).isZero();
  }

  @Test
  void refusedWithoutSharedMemory() {
    try (HotplugHarness plain = HotplugHarness.q35(HotplugHarness.PLAIN)) {
      assertThatThrownBy(() -> plain.run(tx -> VhostUserPlug.plug(tx, net)))
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
      assertThatThrownBy(() -> none.run(tx -> VhostUserPlug.plug(tx, net)))
          .hasMessageContaining("this sandbox's memory is plain RAM");
    }
  }

  @Test
  void aDaxWindowIsRefusedWhenQemuHasNone() {
    h.fake
        .on("device-list-properties")
        .reply("[{\"name\":\"chardev\",\"type\":\"str\"},{\"name\":\"tag\",\"type\":\"str\"}]");
    VhostUserRequest dax = new VhostUserRequest.Fs("fs-1", SOCKET, "t", 1024, Placement.ROOT_PORT);
    assertThatThrownBy(() -> plug(dax))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessageEndingWith(
            "this QEMU's vhost-user-fs-pci has no cache-size property (no DAX"
                + " window, VirtioFSCacheSize must be 0)");
    assertThat(h.sent())
        .containsExactly("device-list-properties {\"typename\":\"vhost-user-fs-pci\"}");
    // a QEMU with DAX gets the size in bytes
    h.fake.on("device-list-properties").reply("[{\"name\":\"cache-size\",\"type\":\"size\"}]");
    plug(dax);
    assertThat(h.sent().get(h.sent().size() - 1)).contains("\"cache-size\":1073741824");
  }

  @Test
  void rollbackWhenChardevAddFails() {
    h.fake.on("chardev-add").error("GenericError", "Failed to connect to '/run/vu.sock'");
    assertThatThrownBy(() -> plug(net))
        .isInstanceOf(HotplugException.class)
        .hasMessageEndingWith("Failed to connect to '/run/vu.sock' (GenericError)");
    assertThat(h.sent()).containsExactly(CHARDEV_ADD);
    assertNothingSaved();
  }

  @Test
  void rollbackWhenNetdevAddFails() {
    h.fake.on("netdev_add").error("GenericError", "no");
    assertThatThrownBy(() -> plug(net)).hasMessageEndingWith("rolled back: chardev-remove n1");
    assertThat(h.sent()).containsExactly(CHARDEV_ADD, NETDEV_ADD, CHARDEV_REMOVE);
    assertNothingSaved();
  }

  /** Changed: no free slot is a refusal now (it was a HotplugException), after the rollback. */
  @Test
  void rollbackWhenNoRootPortIsFree() {
    h.seed(
        m -> {
          m.topology().commit(m.topology().reserve("a", Placement.ROOT_PORT));
          m.topology().commit(m.topology().reserve("b", Placement.ROOT_PORT));
        });
    assertThatThrownBy(() -> plug(net))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessageEndingWith("rolled back: netdev_del net-n1, chardev-remove n1");
    assertThat(h.sent()).containsExactly(CHARDEV_ADD, NETDEV_ADD, NETDEV_DEL, CHARDEV_REMOVE);
    assertThat(h.saves()).isZero();
  }

  @Test
  void rollbackWhenDeviceAddFails() {
    h.fake.on("device_add").error("GenericError", "vhost-user: backend refused");
    assertThatThrownBy(() -> plug(net))
        .hasMessageEndingWith(
            "rolled back: release slot 03/00 (rp0), netdev_del net-n1, chardev-remove n1");
    assertThat(h.sent())
        .containsExactly(CHARDEV_ADD, NETDEV_ADD, NET_ADD, NETDEV_DEL, CHARDEV_REMOVE);
    assertNothingSaved();
  }

  @Test
  void blkRollbackReleasesItsIndex() {
    h.fake.on("device_add").error("GenericError", "no");
    VhostUserRequest blk =
        new VhostUserRequest.Blk("blk-1", SOCKET, Placement.ROOT_PORT, OptionalInt.empty());
    assertThatThrownBy(() -> plug(blk))
        .hasMessageEndingWith(
            "rolled back: release slot 03/00 (rp0), release block index 0, chardev-remove blk-1");
    assertThat(h.names()).containsExactly("chardev-add", "device_add", "chardev-remove");
    assertNothingSaved();
  }

  /** Changed: the backends that stay are named in creation order (chardev, then netdev). */
  @Test
  void unplugTimeoutKeepsBackendsAndSlot() {
    String id = plugged(net);
    StoredSandbox before = h.stored();
    h.fake.on("device_del").reply("{}");
    assertThatThrownBy(() -> unplug(id))
        .isInstanceOf(DeviceStillPresentException.class)
        .hasMessageEndingWith("still taken: slot 03/00 (rp0), chardev n1, netdev net-n1");
    assertThat(h.names()).endsWith("device_del", "qom-list");
    assertThat(h.stored()).isEqualTo(before);
  }

  /** Changed: the message is {@link Unplug}'s for every kind ("its slot and index", "left"). */
  @Test
  void unplugReportsABackendThatStays() {
    String id = plugged(net);
    h.fake.on("netdev_del").error("GenericError", "netdev busy");
    assertThatThrownBy(() -> unplug(id))
        .isInstanceOfSatisfying(
            HotplugException.class,
            e -> assertThat(e.leftInPlace()).containsExactly("netdev net-n1"))
        .hasMessageContaining(
            "the device is gone (its slot and index freed) but netdev_del id=net-n1")
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

  private void assertNothingSaved() {
    assertThat(h.stored()).isEqualTo(fresh);
    assertThat(h.saves()).isZero();
  }

  private void assertNothingHeld() {
    SandboxModel m = h.model();
    assertThat(m.topology().freeSlots(Placement.ROOT_PORT)).isEqualTo(2);
    assertThat(m.topology().freeSlots(Placement.PCI_BRIDGE)).isEqualTo(30);
    assertThat(m.blockIndexes().size()).isZero();
    assertThat(m.devices().devices()).isEmpty();
  }
}
