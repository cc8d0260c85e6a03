package org.vmm4j.core.internal.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DeviceKind;
import org.vmm4j.core.api.DeviceStillPresentException;
import org.vmm4j.core.api.HotplugException;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.devices.Placement;
import org.vmm4j.network.OwnedFd;
import org.vmm4j.persist.NetworkEndpoint;
import org.vmm4j.persist.NetworkInfo;
import org.vmm4j.persist.NetworkInterface;
import org.vmm4j.persist.NetworkInterfacePair;
import org.vmm4j.persist.PciPath;
import org.vmm4j.persist.StoredSandbox;
import org.vmm4j.persist.TapInterface;
import org.vmm4j.persist.VethEndpoint;
import org.vmm4j.testing.qmp.ReceivedQmpCommand;

/**
 * {@link NicPlug} in a transaction, the exact QMP sequences of a network device on a tap:
 * descriptors passed with {@code getfd} (and received by QEMU's stand-in), {@code netdev_add},
 * {@code device_add}; the rollback of a failure at every step; and the unplug of the endpoint read
 * back from the state ({@link Unplug}): with the event, past the deadline with the device still
 * there, and past it with the device gone.
 */
class NicPlugTest {
  static final String MAC = "0a:58:0a:58:00:05";
  static final String NETDEV_ADD =
      "netdev_add {\"type\":\"tap\",\"id\":\"br0_kata\",\"fds\":\"fd0\"}";
  static final String DEVICE_ADD =
      "device_add {\"driver\":\"virtio-net-pci\",\"id\":\"virtio-u1\",\"netdev\":\"br0_kata\","
          + "\"mac\":\""
          + MAC
          + "\",\"romfile\":\"\",\"bus\":\"pci-bridge-0\",\"addr\":\"01\"}";
  static final String NETDEV_DEL = "netdev_del {\"id\":\"br0_kata\"}";
  static final String DEVICE_DEL = "device_del {\"id\":\"virtio-u1\"}";

  private final HotplugHarness h = HotplugHarness.q35();
  private final StoredSandbox fresh = h.stored();
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
    return request(queues.subList(0, 1), List.of(), Placement.PCI_BRIDGE);
  }

  private NetRequest request(List<OwnedFd> q, List<OwnedFd> v, Placement p) {
    return new NetRequest("eth0", "virtio-u1", "br0_kata", MAC, q, v, p);
  }

  private PciPath plug(NetRequest r) {
    return h.run(tx -> NicPlug.plug(tx, r));
  }

  /**
   * The endpoint as Kata records a veth: pair {@code u1}, {@code br0_kata}, guest {@code eth0}; the
   * tap's MAC is the guest's (Kata copies the veth's MAC to it).
   */
  static NetworkEndpoint veth() {
    return NetworkEndpoint.of(
        new VethEndpoint(
            new NetworkInterfacePair(
                new TapInterface("u1", "br0_kata", new NetworkInterface("tap0_kata", MAC, null)),
                new NetworkInterface("eth0", "02:42:ac:11:00:05", null),
                0)));
  }

  /** Plugs the NIC and records its endpoint, as an attach does. */
  private void plugged() {
    h.apply(
        tx -> {
          NicPlug.plug(tx, single());
          tx.model().endpoints().add(veth());
        });
    h.forgetSaves();
  }

  private Device unplug() {
    return h.run(tx -> DeviceUnplugs.unplug(tx, "eth0"));
  }

  @Test
  void oneQueueOnABridge() {
    PciPath p = plug(single());
    assertThat(h.sent()).containsExactly("getfd {\"fdname\":\"fd0\"}", NETDEV_ADD, DEVICE_ADD);
    ReceivedQmpCommand getfd = h.fake.received("getfd").get(0);
    assertThat(getfd.fds()).hasSize(1);
    assertThat(getfd.fdTarget(0)).isEqualTo(Pipes.target(queues.get(0)));
    assertThat(p).isEqualTo(PciPath.parse("02/01"));
    SandboxModel m = h.model();
    assertThat(m.topology().find("virtio-u1"))
        .hasValueSatisfying(s -> assertThat(m.topology().isCommitted(s)).isTrue());
    assertThat(queues.get(0).isOpen()).as("the caller's copy stays the caller's").isTrue();
  }

  @Test
  void multiQueueWithVhostOnARootPort() {
    PciPath p = plug(request(queues, vhost, Placement.ROOT_PORT));
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
    assertThat(p).hasToString("03/00");
  }

  @Test
  void aRefusedGetfdClosesTheNamesAlreadyPassed() {
    h.fake
        .on("getfd", c -> "fd1".equals(c.arg("fdname")))
        .error("GenericError", "No file descriptor supplied via SCM_RIGHTS");
    assertThatThrownBy(() -> plug(request(queues, List.of(), Placement.PCI_BRIDGE)))
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
    assertNothingSaved();
  }

  @Test
  void aRefusedNetdevClosesEveryPassedName() {
    h.fake
        .on("netdev_add")
        .error("GenericError", "could not configure /dev/net/tun: Invalid argument");
    h.fake
        .on("closefd", c -> "fd0".equals(c.arg("fdname")))
        .error("GenericError", "File descriptor named 'fd0' not found");
    assertThatThrownBy(() -> plug(single()))
        .isInstanceOf(HotplugException.class)
        .hasMessageContaining("netdev_add")
        .hasMessageNotContaining("rolled back");
    assertThat(h.sent())
        .containsExactly("getfd {\"fdname\":\"fd0\"}", NETDEV_ADD, "closefd {\"fdname\":\"fd0\"}");
    assertNothingSaved();
  }

  /** Changed: no free slot is a refusal now (it was a HotplugException), after the rollback. */
  @Test
  void noFreeSlotDeletesTheNetdev() {
    h.seed(
        m -> {
          m.topology().commit(m.topology().reserve("other-1", Placement.ROOT_PORT));
          m.topology().commit(m.topology().reserve("other-2", Placement.ROOT_PORT));
        });
    assertThatThrownBy(() -> plug(request(queues.subList(0, 1), List.of(), Placement.ROOT_PORT)))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessageContaining("no free slot on the root ports")
        .hasMessageEndingWith("; rolled back: netdev_del br0_kata");
    assertThat(h.sent()).containsExactly("getfd {\"fdname\":\"fd0\"}", NETDEV_ADD, NETDEV_DEL);
    assertThat(h.saves()).isZero();
  }

  @Test
  void aRefusedDeviceReleasesItsSlotAndDeletesTheNetdev() {
    h.fake.on("device_add").error("GenericError", "Bus 'pci-bridge-0' not found");
    assertThatThrownBy(() -> plug(single()))
        .isInstanceOf(HotplugException.class)
        .hasMessageEndingWith(
            "mac="
                + MAC
                + " romfile= bus=pci-bridge-0 addr=01: Bus 'pci-bridge-0' not found (GenericError);"
                + " rolled back: release slot 02/01 (pci-bridge-0), netdev_del br0_kata");
    assertThat(h.sent())
        .containsExactly("getfd {\"fdname\":\"fd0\"}", NETDEV_ADD, DEVICE_ADD, NETDEV_DEL);
    assertNothingSaved();
  }

  @Test
  void aNetdevAddWithoutAnswerIsDeletedIfQemuMadeIt() {
    h.fake.on("netdev_add").noReply();
    h.fake.on("netdev_del").error("DeviceNotFound", "Device 'br0_kata' not found");
    h.shortCommands();
    assertThatThrownBy(() -> plug(single()))
        .isInstanceOf(HotplugException.class)
        .hasMessageEndingWith("rolled back: netdev_del br0_kata if QEMU created it");
    assertThat(h.sent())
        .containsExactly(
            "getfd {\"fdname\":\"fd0\"}", NETDEV_ADD, "closefd {\"fdname\":\"fd0\"}", NETDEV_DEL);
    assertNothingSaved();
  }

  @Test
  void aDeviceAddWithoutAnswerIsRemovedIfQemuMadeIt() {
    h.fake.on("device_add").noReply();
    h.peripheralLists();
    h.shortCommands();
    assertThatThrownBy(() -> plug(single())).isInstanceOf(HotplugException.class);
    assertThat(h.names())
        .containsExactly("getfd", "netdev_add", "device_add", "qom-list", "netdev_del");
    assertNothingSaved();
  }

  @Test
  void unplugWaitsForTheEventThenDeletesTheNetdevAndFreesTheSlot() {
    plugged();
    Device d = unplug();
    assertThat(d.kind()).isEqualTo(DeviceKind.NETWORK);
    assertThat(d.qemuDevices())
        .containsExactly(new Device.QemuDevice("virtio-u1", PciPath.parse("02/01")));
    assertThat(d.details()).containsEntry("mac", MAC).containsEntry("tap", "tap0_kata");
    assertThat(h.sent()).endsWith(DEVICE_ADD, DEVICE_DEL, NETDEV_DEL);
    assertNothingHeld();
  }

  @Test
  void unplugPastTheDeadlineWithTheDeviceStillThereKeepsEverything() {
    plugged();
    StoredSandbox before = h.stored();
    h.fake.on("device_del").reply("{}");
    h.peripheralLists("virtio-u1");
    assertThatThrownBy(this::unplug)
        .isInstanceOf(DeviceStillPresentException.class)
        .hasMessageStartingWith("sandbox sb1: unplug net eth0: QEMU accepted device_del")
        .hasMessageContaining("sent no DEVICE_DELETED within 300 ms and still lists virtio-u1")
        .hasMessageEndingWith("; still taken: slot 02/01 (pci-bridge-0), netdev br0_kata");
    assertThat(h.names()).endsWith("device_del", "qom-list").doesNotContain("netdev_del");
    assertThat(h.stored()).isEqualTo(before);
    assertThat(h.saves()).isZero();
  }

  @Test
  void unplugPastTheDeadlineWithTheDeviceGoneCompletes() {
    plugged();
    h.fake.on("device_del").reply("{}");
    h.peripheralLists();
    unplug();
    assertThat(h.names()).endsWith("device_del", "qom-list", "netdev_del");
    assertNothingHeld();
  }

  /** Changed: the message is {@link Unplug}'s for every kind ("its slot and index", "left"). */
  @Test
  void aNetdevThatCannotBeDeletedIsReportedWithTheSlotFreed() {
    plugged();
    h.fake.on("netdev_del").error("GenericError", "netdev busy");
    assertThatThrownBy(this::unplug)
        .isInstanceOfSatisfying(
            HotplugException.class,
            e -> assertThat(e.leftInPlace()).containsExactly("netdev br0_kata"))
        .hasMessage(
            "sandbox sb1: unplug net eth0: the device is gone (its slot and index freed) but"
                + " netdev_del id=br0_kata: netdev busy (GenericError); left: netdev br0_kata");
    assertNothingHeld();
  }

  @Test
  void aKataRecordUnplugsByItsIdsAndFreesTheSlotKeyedByTheBareUuid() {
    plugged();
    h.seed(
        m -> {
          m.topology().release(m.topology().find("virtio-u1").orElseThrow());
          m.topology().commit(m.topology().reserveOn("u1", "pci-bridge-0"));
        });
    assertThat(unplug().pciPath()).hasToString("02/01");
    assertThat(h.sent()).endsWith(DEVICE_DEL, NETDEV_DEL);
    assertNothingHeld();
  }

  @Test
  void aHostSideNotRestoredIsALeftoverAfterTheSave() throws IOException {
    plugged();
    Path notANamespace = Files.writeString(h.dir.resolve("not-a-netns"), "");
    h.rewrite(
        s ->
            s.toBuilder()
                .network(
                    new NetworkInfo(notANamespace.toString(), 0, false, s.network().endpoints()))
                .build());
    assertThatThrownBy(this::unplug)
        .isInstanceOfSatisfying(
            HotplugException.class,
            e -> assertThat(e.leftInPlace()).containsExactly("host side of eth0"))
        .hasMessageStartingWith(
            "sandbox sb1: unplug net eth0: the device is gone but the host side was not"
                + " restored: ");
    assertThat(h.sent()).endsWith(DEVICE_DEL, NETDEV_DEL);
    assertNothingHeld();
  }

  private void assertNothingSaved() {
    assertThat(h.stored()).isEqualTo(fresh);
    assertThat(h.saves()).isZero();
  }

  private void assertNothingHeld() {
    SandboxModel m = h.model();
    assertThat(m.topology().find("virtio-u1")).isEmpty();
    assertThat(m.topology().toPersisted()).allSatisfy(b -> assertThat(b.deviceAddr()).isEmpty());
    assertThat(m.endpoints()).isEmpty();
    assertThat(h.stored().sandbox().network().endpoints()).isNull();
  }
}
