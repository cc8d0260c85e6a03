package org.vmm4j.core.internal.hotplug;

import java.util.Objects;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.core.internal.net.Attachment;
import org.vmm4j.core.internal.net.LinkRestoreFiles;
import org.vmm4j.core.internal.net.NetIds;
import org.vmm4j.devices.Placement;
import org.vmm4j.network.ConnectOptions;
import org.vmm4j.network.ConnectedEndpoint;
import org.vmm4j.network.Endpoint;
import org.vmm4j.network.EndpointRecords;
import org.vmm4j.network.Endpoints;
import org.vmm4j.network.MacAddress;
import org.vmm4j.network.NetNs;
import org.vmm4j.persist.PciPath;

/**
 * Attaches network endpoints inside a transaction, each as a unit: the host side ({@link
 * Endpoints#connect}: tap or macvtap, filters, queues, with its undo on the host), what the schema
 * cannot keep written beside the state ({@link LinkRestoreFiles}), the NIC over QMP ({@link
 * NicPlug}, or {@link VhostUserPlug} for a vhost-user backend), our copies of the queue descriptors
 * closed, and the endpoint recorded in the model ({@code NetworkInfo.Endpoints}). A failure is the
 * transaction's: every step of every endpoint it attached is undone.
 */
public final class EndpointAttacher {
  private final Tx tx;
  private final NetNs ns;
  private final ConnectOptions options;

  /**
   * @param ns the namespace the endpoints are in (null when only vhost-user ones are attached)
   * @param options queues (one per vCPU), vhost-net, deadlines
   */
  public EndpointAttacher(Tx tx, NetNs ns, ConnectOptions options) {
    this.tx = Objects.requireNonNull(tx, "tx");
    this.ns = ns;
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * Where network devices go: a pci-bridge slot, else a root port; the root bus is refused (the PCI
   * path of a veth's NIC would not be recorded anywhere).
   */
  public Placement placement(String what) {
    Placement p = tx.model().topology().defaultPlacement();
    if (p == Placement.ROOT_BUS) {
      throw new HotplugRefusedException(
          what
              + ": the sandbox has no pci-bridge and no PCIe root port for a network device"
              + " (DefaultBridges, PCIeRootPort)");
    }
    return p;
  }

  /** Attaches {@code e} and records it; returns what was attached. */
  public Attachment attach(Endpoint e, Placement placement) {
    int index = tx.model().endpoints().size();
    // before the steps: it runs after their undos, so an endpoint whose NIC stayed stays recorded
    tx.undoQuietly(
        () -> {
          if (tx.model().endpoints().size() > index) {
            tx.model().endpoints().remove(index);
          }
        });
    Attachment a =
        e instanceof Endpoint.VhostUser v ? attachVhostUser(v, placement) : attachTap(e, placement);
    tx.model().endpoints().add(EndpointRecords.toPersisted(a.endpoint()));
    return a;
  }

  private Attachment attachTap(Endpoint e, Placement placement) {
    ConnectedEndpoint c = Endpoints.connect(ns, e, options);
    Endpoint ep = c.endpoint();
    tx.undoOnHost(
        "restore the host side of " + ep.name(),
        () -> {
          // exactly what connect did, undone (a tap the CNI plugin made stays); the namespace
          // handle stays open until the transaction ends (Tx.atEnd)
          c.close();
          LinkRestoreFiles.delete(tx.vmDir(), ep.name());
        });
    LinkRestoreFiles.write(tx.vmDir(), ep.name(), c.linkRestore());
    NetRequest r =
        new NetRequest(
            ep.name(),
            NetIds.deviceId(ep),
            NetIds.netdevId(ep),
            mac(c.guestMac(), ep),
            c.queueFds(),
            c.vhostFds(),
            placement);
    PciPath path = NicPlug.plug(tx, r);
    c.closeFds();
    return new Attachment(
        ep.withPciPath(path.toString()), r.deviceId(), r.netdevId(), path, r.queues(), c);
  }

  private Attachment attachVhostUser(Endpoint.VhostUser v, Placement placement) {
    String mac = mac(v.guestMac(), v);
    VhostUserRequest.Net r =
        new VhostUserRequest.Net(NetIds.vhostUserDevId(v.name()), v.socket(), mac, placement);
    PciPath path = VhostUserPlug.plug(tx, r).pciPath();
    Endpoint.VhostUser recorded =
        new Endpoint.VhostUser(v.name(), v.socket(), v.guestMac(), path.toString());
    return new Attachment(recorded, r.deviceId(), "net-" + r.devId(), path, 0, null);
  }

  /** The device the API shows for an attachment, announced as added. */
  public Device added(Attachment a) {
    Device d =
        new Device(
            a.name(),
            a.host() == null
                ? org.vmm4j.core.api.DeviceKind.VHOST_USER_NET
                : org.vmm4j.core.api.DeviceKind.NETWORK,
            java.util.List.of(new Device.QemuDevice(a.deviceId(), a.pciPath())),
            EndpointDetails.of(a.endpoint(), a.queues(), a.hostInterface()));
    tx.added(d);
    return d;
  }

  private static String mac(MacAddress mac, Endpoint e) {
    if (mac == null) {
      throw new IllegalStateException(e.type() + " " + e.name() + ": no guest MAC");
    }
    return mac.toString();
  }
}
