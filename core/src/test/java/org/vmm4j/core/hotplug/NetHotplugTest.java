package org.vmm4j.core.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.devices.Placement;
import org.vmm4j.network.OwnedFd;
import org.vmm4j.persist.PciPath;
import org.vmm4j.testing.qmp.ReceivedQmpCommand;

/**
 * The exact QMP sequences of a network device on a tap: descriptors passed with {@code getfd} (and
 * received by QEMU's stand-in), {@code netdev_add}, {@code device_add}; the rollback of a failure
 * at every step; unplug with the event, past the deadline with the device still there, and past it
 * with the device gone.
 */
class NetHotplugTest {
  static final String MAC = "0a:58:0a:58:00:05";
  static final String NETDEV_ADD =
      "netdev_add {\"type\":\"tap\",\"id\":\"br0_kata\",\"fds\":\"fd0\"}";
  static final String DEVICE_ADD =
      "device_add {\"driver\":\"virtio-net-pci\",\"id\":\"virtio-u1\",\"netdev\":\"br0_kata\","
          + "\"mac\":\""
          + MAC
          + "\",\"romfile\":\"\",\"bus\":\"pci-bridge-0\",\"addr\":\"01\"}";
  static final String NETDEV_DEL = "netdev_del {\"id\":\"br0_kata\"}";

  private final HotplugHarness h = HotplugHarness.q35();
  private final NetHotplug flow = new NetHotplug(h.ctx);
  private final List<OwnedFd> queues = Pipes.readEnds(2, "queue");
  private final List<OwnedFd> vhost = Pipes.readEnds(2, "vhost");

  {
    h.fake.on("getfd");
    h.fake.on("closefd");
  }

  @AfterEach
  void close() {
    h.close();
    queues.forEach(OwnedFd::close);
    vhost.forEach(OwnedFd::close);
  }

  private NetRequest single() {
    return new NetRequest(
        "eth0",
        "virtio-u1",
        "br0_kata",
        MAC,
        queues.subList(0, 1),
        List.of(),
        Placement.PCI_BRIDGE);
  }

  @Test
  void oneQueueOnABridge() {
    PluggedNet p = flow.plug(single());
    assertThat(h.sent()).containsExactly("getfd {\"fdname\":\"fd0\"}", NETDEV_ADD, DEVICE_ADD);
    ReceivedQmpCommand getfd = h.fake.received("getfd").get(0);
    assertThat(getfd.fds()).hasSize(1);
    assertThat(getfd.fdTarget(0)).isEqualTo(Pipes.target(queues.get(0)));
    assertThat(p)
        .isEqualTo(new PluggedNet("eth0", "virtio-u1", "br0_kata", MAC, 1, PciPath.parse("02/01")));
    assertThat(h.ctx.topology().find("virtio-u1"))
        .hasValueSatisfying(s -> assertThat(h.ctx.topology().isCommitted(s)).isTrue());
    assertThat(queues.get(0).isOpen()).as("the caller's copy stays the caller's").isTrue();
  }

  @Test
  void multiQueueWithVhostOnARootPort() {
    PluggedNet p =
        flow.plug(
            new NetRequest(
                "eth0", "virtio-u1", "br0_kata", MAC, queues, vhost, Placement.ROOT_PORT));
    assertThat(h.sent())
        .containsExactly(
            "getfd {\"fdname\":\"fd0\"}",
            "getfd {\"fdname\":\"fd1\"}",
            "getfd {\"fdname\":\"vhostfd0\"}",
            "getfd {\"fdname\":\"vhostfd1\"}",
            "netdev_add {\"type\":\"tap\",\"id\":\"br0_kata\",\"fds\":\"fd0:fd1\",\"vhost\":true,"
                + "\"vhostfds\":\"vhostfd0:vhostfd1\"}",
            "device_add {\"driver\":\"virtio-net-pci\",\"id\":\"virtio-u1\",\"netdev\":\"br0_kata\","
                + "\"mac\":\""
                + MAC
                + "\",\"romfile\":\"\",\"mq\":\"on\",\"vectors\":6,\"bus\":\"rp0\"}");
    List<ReceivedQmpCommand> getfds = h.fake.received("getfd");
    assertThat(getfds)
        .extracting(c -> c.fdTarget(0))
        .containsExactly(
            Pipes.target(queues.get(0)),
            Pipes.target(queues.get(1)),
            Pipes.target(vhost.get(0)),
            Pipes.target(vhost.get(1)));
    assertThat(p.pciPath()).hasToString("03/00");
    assertThat(p.queues()).isEqualTo(2);
  }

  @Test
  void aRefusedGetfdClosesTheNamesAlreadyPassed() {
    h.fake
        .on("getfd", c -> "fd1".equals(c.arg("fdname")))
        .error("GenericError", "No file descriptor supplied via SCM_RIGHTS");
    assertThatThrownBy(
            () ->
                flow.plug(
                    new NetRequest(
                        "eth0",
                        "virtio-u1",
                        "br0_kata",
                        MAC,
                        queues,
                        List.of(),
                        Placement.PCI_BRIDGE)))
        .isInstanceOf(HotplugException.class)
        .hasMessage(
            "sandbox sb1: hotplug net eth0 (virtio-u1, "
                + MAC
                + "): getfd fdname=fd1: No file descriptor supplied via SCM_RIGHTS (GenericError)");
    assertThat(h.sent())
        .containsExactly(
            "getfd {\"fdname\":\"fd0\"}",
            "getfd {\"fdname\":\"fd1\"}",
            "closefd {\"fdname\":\"fd0\"}");
    assertNothingHeld();
  }

  @Test
  void aRefusedNetdevClosesEveryPassedName() {
    h.fake
        .on("netdev_add")
        .error("GenericError", "could not configure /dev/net/tun: Invalid argument");
    h.fake
        .on("closefd", c -> "fd0".equals(c.arg("fdname")))
        .error("GenericError", "File descriptor named 'fd0' not found");
    assertThatThrownBy(() -> flow.plug(single()))
        .isInstanceOf(HotplugException.class)
        .hasMessageContaining("netdev_add")
        .hasMessageNotContaining("rolled back");
    assertThat(h.sent())
        .containsExactly("getfd {\"fdname\":\"fd0\"}", NETDEV_ADD, "closefd {\"fdname\":\"fd0\"}");
    assertNothingHeld();
  }

  @Test
  void noFreeSlotDeletesTheNetdev() {
    h.ctx.topology().reserve("other-1", Placement.ROOT_PORT);
    h.ctx.topology().reserve("other-2", Placement.ROOT_PORT);
    assertThatThrownBy(
            () ->
                flow.plug(
                    new NetRequest(
                        "eth0",
                        "virtio-u1",
                        "br0_kata",
                        MAC,
                        queues.subList(0, 1),
                        List.of(),
                        Placement.ROOT_PORT)))
        .isInstanceOf(HotplugException.class)
        .hasMessageContaining("no free slot on the root ports")
        .hasMessageEndingWith("; rolled back: netdev_del br0_kata");
    assertThat(h.sent()).containsExactly("getfd {\"fdname\":\"fd0\"}", NETDEV_ADD, NETDEV_DEL);
  }

  @Test
  void aRefusedDeviceReleasesItsSlotAndDeletesTheNetdev() {
    h.fake.on("device_add").error("GenericError", "Bus 'pci-bridge-0' not found");
    assertThatThrownBy(() -> flow.plug(single()))
        .isInstanceOf(HotplugException.class)
        .hasMessageEndingWith(
            "mac="
                + MAC
                + " romfile= bus=pci-bridge-0 addr=01: Bus 'pci-bridge-0' not found (GenericError);"
                + " rolled back: release slot 02/01 (pci-bridge-0), netdev_del br0_kata");
    assertThat(h.sent())
        .containsExactly("getfd {\"fdname\":\"fd0\"}", NETDEV_ADD, DEVICE_ADD, NETDEV_DEL);
    assertNothingHeld();
  }

  @Test
  void aNetdevAddWithoutAnswerIsDeletedIfQemuMadeIt() {
    h.fake.on("netdev_add").noReply();
    h.fake.on("netdev_del").error("DeviceNotFound", "Device 'br0_kata' not found");
    NetHotplug hasty = new NetHotplug(h.shortCommands());
    assertThatThrownBy(() -> hasty.plug(single()))
        .isInstanceOf(HotplugException.class)
        .hasMessageEndingWith("rolled back: netdev_del br0_kata if QEMU created it");
    assertThat(h.sent())
        .containsExactly(
            "getfd {\"fdname\":\"fd0\"}", NETDEV_ADD, "closefd {\"fdname\":\"fd0\"}", NETDEV_DEL);
    assertNothingHeld();
  }

  @Test
  void aDeviceAddWithoutAnswerIsRemovedIfQemuMadeIt() {
    h.fake.on("device_add").noReply();
    h.peripheralLists();
    NetHotplug hasty = new NetHotplug(h.shortCommands());
    assertThatThrownBy(() -> hasty.plug(single())).isInstanceOf(HotplugException.class);
    assertThat(h.names())
        .containsExactly("getfd", "netdev_add", "device_add", "qom-list", "netdev_del");
    assertNothingHeld();
  }

  @Test
  void unplugWaitsForTheEventThenDeletesTheNetdevAndFreesTheSlot() {
    PluggedNet p = flow.plug(single());
    flow.unplug(p);
    assertThat(h.sent()).endsWith(DEVICE_ADD, "device_del {\"id\":\"virtio-u1\"}", NETDEV_DEL);
    assertNothingHeld();
  }

  @Test
  void unplugPastTheDeadlineWithTheDeviceStillThereKeepsEverything() {
    PluggedNet p = flow.plug(single());
    h.fake.on("device_del").reply("{}");
    h.peripheralLists("virtio-u1");
    assertThatThrownBy(() -> flow.unplug(p))
        .isInstanceOf(DeviceStillPresentException.class)
        .hasMessageContaining("sent no DEVICE_DELETED within 300 ms and still lists virtio-u1")
        .hasMessageEndingWith("; still taken: slot 02/01 (pci-bridge-0), netdev br0_kata");
    assertThat(h.names()).endsWith("device_del", "qom-list").doesNotContain("netdev_del");
    assertThat(h.ctx.topology().find("virtio-u1")).isPresent();
  }

  @Test
  void unplugPastTheDeadlineWithTheDeviceGoneCompletes() {
    PluggedNet p = flow.plug(single());
    h.fake.on("device_del").reply("{}");
    h.peripheralLists();
    flow.unplug(p);
    assertThat(h.names()).endsWith("device_del", "qom-list", "netdev_del");
    assertNothingHeld();
  }

  @Test
  void aNetdevThatCannotBeDeletedIsReportedWithTheSlotFreed() {
    PluggedNet p = flow.plug(single());
    h.fake.on("netdev_del").error("GenericError", "netdev busy");
    assertThatThrownBy(() -> flow.unplug(p))
        .isInstanceOfSatisfying(
            HotplugException.class,
            e -> assertThat(e.leftInPlace()).containsExactly("netdev br0_kata"))
        .hasMessage(
            "sandbox sb1: unplug net eth0 (virtio-u1): the device is gone (slot freed) but"
                + " netdev_del id=br0_kata: netdev busy (GenericError)");
    assertNothingHeld();
  }

  @Test
  void aRestoredDeviceUnplugsByItsIds() {
    flow.plug(single());
    new NetHotplug(h.ctx)
        .unplug(new PluggedNet("eth0", "virtio-u1", "br0_kata", "", 0, PciPath.NIL));
    assertThat(h.sent()).endsWith("device_del {\"id\":\"virtio-u1\"}", NETDEV_DEL);
    assertNothingHeld();
  }

  private void assertNothingHeld() {
    assertThat(h.ctx.topology().find("virtio-u1")).isEmpty();
    assertThat(h.ctx.topology().toPersisted())
        .allSatisfy(b -> assertThat(b.deviceAddr()).isEmpty());
  }
}
