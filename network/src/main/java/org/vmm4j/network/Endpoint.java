package org.vmm4j.network;

import java.nio.file.Path;

/**
 * A network endpoint: what carries one guest NIC, as Kata's endpoint types. Values only; {@link
 * Endpoints#connect} wires one up on the host. Every record keeps what Kata persists for its type
 * (names, MACs, addresses with masks, the interworking model, the tap UUID) plus a {@code pciPath}
 * slot ({@code "02/03"}, empty while unknown) that core fills after hot-plugging.
 */
public sealed interface Endpoint {

  /** Kata's {@code EndpointType}: {@code virtual}, {@code tap}, {@code macvtap}, ... */
  String type();

  /** Kata's {@code Name()}: the interface name the guest is told. */
  String name();

  /** Kata's {@code HardwareAddr()}: the guest NIC's MAC (null while not yet known). */
  MacAddress guestMac();

  /** The guest PCI path ({@code "02/03"}), empty while unknown. */
  String pciPath();

  /** The same endpoint with its PCI path recorded. */
  Endpoint withPciPath(String path);

  /** Endpoints whose guest NIC is fed by a tap joined to a CNI interface ({@link NetPair}). */
  sealed interface Paired extends Endpoint {
    NetPair pair();

    /** The same endpoint with an updated pair (set-up fills in MACs and moved addresses). */
    Paired withPair(NetPair pair);

    @Override
    default String name() {
      return pair().virt().name();
    }

    @Override
    default MacAddress guestMac() {
      return pair().tap().mac();
    }
  }

  /** A veth from a CNI plugin (type {@code virtual}). */
  record Veth(NetPair pair, String pciPath) implements Paired {
    @Override
    public String type() {
      return "virtual";
    }

    @Override
    public Veth withPair(NetPair p) {
      return new Veth(p, pciPath);
    }

    @Override
    public Veth withPciPath(String path) {
      return new Veth(pair, path);
    }
  }

  /** A macvlan from a CNI plugin (type {@code macvlan}, Kata's {@code BridgedMacvlanEndpoint}). */
  record Macvlan(NetPair pair, String pciPath) implements Paired {
    @Override
    public String type() {
      return "macvlan";
    }

    @Override
    public Macvlan withPair(NetPair p) {
      return new Macvlan(p, pciPath);
    }

    @Override
    public Macvlan withPciPath(String path) {
      return new Macvlan(pair, path);
    }
  }

  /** An ipvlan from a CNI plugin (type {@code ipvlan}); always the tcfilter model. */
  record IpVlan(NetPair pair, String pciPath) implements Paired {
    @Override
    public String type() {
      return "ipvlan";
    }

    @Override
    public IpVlan withPair(NetPair p) {
      return new IpVlan(p, pciPath);
    }

    @Override
    public IpVlan withPciPath(String path) {
      return new IpVlan(pair, path);
    }
  }

  /**
   * A tap-mode tuntap from a CNI plugin (type {@code tuntap}), joined like a veth. Persisted as
   * {@code TuntapInterface{Name = pair.virt.name, TAPIface = pair.tap}}.
   */
  record Tuntap(NetPair pair, String pciPath) implements Paired {
    @Override
    public String type() {
      return "tuntap";
    }

    @Override
    public Tuntap withPair(NetPair p) {
      return new Tuntap(p, pciPath);
    }

    @Override
    public Tuntap withPciPath(String path) {
      return new Tuntap(pair, path);
    }
  }

  /**
   * A tap the guest NIC reads directly (type {@code tap}, {@code TapInterface{ID, Name,
   * TAPIface}}): created with one queue per vCPU, given {@code tap.mac} and {@code mtu}.
   *
   * @param id a UUID; the guest NIC's QEMU id is {@code "virtio-" + id}
   * @param name the endpoint name ({@code eth<idx>} or the interface name) and QEMU netdev id
   * @param tap the tap device ({@code tap<idx>_kata}) and the guest MAC
   * @param mtu the tap's MTU, 0 to keep the kernel's (not persisted by Kata)
   */
  record Tap(String id, String name, NetIface tap, int mtu, String pciPath) implements Endpoint {
    @Override
    public String type() {
      return "tap";
    }

    @Override
    public MacAddress guestMac() {
      return tap.mac();
    }

    @Override
    public Tap withPciPath(String path) {
      return new Tap(id, name, tap, mtu, path);
    }
  }

  /**
   * A macvtap a CNI plugin made (type {@code macvtap}): its character device gives the queues. Kata
   * persists only {@code PCIPath}.
   */
  record Macvtap(String name, MacAddress mac, String pciPath) implements Endpoint {
    @Override
    public String type() {
      return "macvtap";
    }

    @Override
    public MacAddress guestMac() {
      return mac;
    }

    @Override
    public Macvtap withPciPath(String path) {
      return new Macvtap(name, mac, path);
    }
  }

  /**
   * A vhost-user net backend listening on {@code socket} (type {@code vhost-user}, persisted as
   * {@code VhostUserEndpoint{IfaceName, PCIPath}}).
   */
  record VhostUser(String name, Path socket, MacAddress mac, String pciPath) implements Endpoint {
    @Override
    public String type() {
      return "vhost-user";
    }

    @Override
    public MacAddress guestMac() {
      return mac;
    }

    @Override
    public VhostUser withPciPath(String path) {
      return new VhostUser(name, socket, mac, path);
    }
  }

  /**
   * A physical NIC to hand over with VFIO (type {@code physical}, persisted as {@code
   * PhysicalEndpoint{BDF, Driver, VendorDeviceID}}).
   *
   * @param bdf the PCI address, {@code 0000:00:03.0}
   * @param driver the host driver it was bound to, {@code e1000e}
   * @param vendorDeviceId {@code "0x8086 0x1572"}, as sysfs spells the ids
   */
  record Physical(
      String name, MacAddress mac, String bdf, String driver, String vendorDeviceId, String pciPath)
      implements Endpoint {
    @Override
    public String type() {
      return "physical";
    }

    @Override
    public MacAddress guestMac() {
      return mac;
    }

    @Override
    public Physical withPciPath(String path) {
      return new Physical(name, mac, bdf, driver, vendorDeviceId, path);
    }
  }
}
