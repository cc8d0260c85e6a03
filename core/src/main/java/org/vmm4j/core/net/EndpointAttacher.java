package org.vmm4j.core.net;

import java.nio.file.Path;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmm4j.core.hotplug.HotplugContext;
import org.vmm4j.core.hotplug.HotplugRefusedException;
import org.vmm4j.core.hotplug.NetHotplug;
import org.vmm4j.core.hotplug.NetRequest;
import org.vmm4j.core.hotplug.PluggedNet;
import org.vmm4j.core.hotplug.PluggedVhostUser;
import org.vmm4j.core.hotplug.VhostUserHotplug;
import org.vmm4j.core.hotplug.VhostUserRequest;
import org.vmm4j.devices.DeviceKind;
import org.vmm4j.devices.Placement;
import org.vmm4j.network.ConnectOptions;
import org.vmm4j.network.ConnectedEndpoint;
import org.vmm4j.network.Endpoint;
import org.vmm4j.network.Endpoints;
import org.vmm4j.network.MacAddress;
import org.vmm4j.network.NetNs;

/**
 * Attaches endpoints of one namespace to one QEMU, each as a unit: the host side ({@link
 * Endpoints#connect}: tap or macvtap, filters, queues), what the schema cannot keep written beside
 * the state ({@link LinkRestoreFiles}), the device over QMP ({@link NetHotplug}: {@code getfd},
 * {@code netdev_add}, {@code device_add} on a slot of the topology), then our copies of the queue
 * descriptors closed. A failure undoes that endpoint completely (QMP steps and slot by the flow,
 * then the host side) and is thrown; earlier endpoints are the caller's to undo ({@link #unplug},
 * or {@link #releaseHost} when QEMU is going away anyway).
 */
public final class EndpointAttacher {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointAttacher.class);

  private final HotplugContext ctx;
  private final NetNs ns;
  private final ConnectOptions options;
  private final Path vmDir;

  /**
   * @param ns the namespace the endpoints are in (null when only vhost-user ones are attached)
   * @param options queues (one per vCPU), vhost-net, deadlines
   * @param vmDir where {@link LinkRestoreFiles} are kept
   */
  public EndpointAttacher(HotplugContext ctx, NetNs ns, ConnectOptions options, Path vmDir) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.ns = ns;
    this.options = Objects.requireNonNull(options, "options");
    this.vmDir = Objects.requireNonNull(vmDir, "vmDir");
  }

  /**
   * Where network devices go: a pci-bridge slot, else a root port; the root bus is refused (the PCI
   * path of a veth's NIC would not be recorded anywhere).
   */
  public Placement placement(String what) {
    Placement p = ctx.topology().defaultPlacement();
    if (p == Placement.ROOT_BUS) {
      throw new HotplugRefusedException(
          what
              + ": the sandbox has no pci-bridge and no PCIe root port for a network device"
              + " (DefaultBridges, PCIeRootPort)");
    }
    return p;
  }

  /**
   * Attaches {@code e}.
   *
   * @throws RuntimeException the failure ({@link org.vmm4j.core.hotplug.HotplugException} from QMP,
   *     {@link org.vmm4j.network.NetlinkException} from the host), after undoing it
   */
  public Attachment attach(Endpoint e, Placement placement) {
    if (e instanceof Endpoint.VhostUser v) {
      return attachVhostUser(v, placement);
    }
    ConnectedEndpoint c = Endpoints.connect(ns, e, options);
    Endpoint ep = c.endpoint();
    try {
      LinkRestoreFiles.write(vmDir, ep.name(), c.linkRestore());
      PluggedNet p =
          new NetHotplug(ctx)
              .plug(
                  new NetRequest(
                      ep.name(),
                      NetIds.deviceId(ep),
                      NetIds.netdevId(ep),
                      mac(c.guestMac(), ep),
                      c.queueFds(),
                      c.vhostFds(),
                      placement));
      c.closeFds();
      return new Attachment(
          ep.withPciPath(p.pciPath().toString()),
          p.deviceId(),
          p.netdevId(),
          p.pciPath(),
          p.queues(),
          c);
    } catch (RuntimeException x) {
      undoHost(c, ep.name(), x);
      throw x;
    }
  }

  private Attachment attachVhostUser(Endpoint.VhostUser v, Placement placement) {
    String mac = mac(v.guestMac(), v);
    VhostUserRequest.Net r =
        new VhostUserRequest.Net(NetIds.vhostUserDevId(v.name()), v.socket(), mac, placement);
    PluggedVhostUser p = new VhostUserHotplug(ctx).plug(r);
    Endpoint.VhostUser recorded =
        new Endpoint.VhostUser(v.name(), v.socket(), v.guestMac(), p.pciPath().toString());
    return new Attachment(recorded, p.deviceId(), p.netdevId(), p.pciPath(), 0, null);
  }

  private static String mac(MacAddress mac, Endpoint e) {
    if (mac == null) {
      throw new IllegalStateException(e.type() + " " + e.name() + ": no guest MAC");
    }
    return mac.toString();
  }

  /**
   * Undoes an attachment while QEMU runs: the device ({@code device_del} and wait, {@code
   * netdev_del}, slot), then the host side.
   *
   * @throws org.vmm4j.core.hotplug.DeviceStillPresentException when QEMU keeps the device (the host
   *     side stays too)
   */
  public void unplug(Attachment a) {
    if (a.host() == null) {
      new VhostUserHotplug(ctx)
          .unplug(
              new PluggedVhostUser(
                  DeviceKind.VHOST_USER_NET,
                  NetIds.vhostUserDevId(a.name()),
                  "",
                  "",
                  a.pciPath(),
                  -1));
      return;
    }
    new NetHotplug(ctx)
        .unplug(new PluggedNet(a.name(), a.deviceId(), a.netdevId(), "", a.queues(), a.pciPath()));
    a.host().close();
    LinkRestoreFiles.delete(vmDir, a.name());
  }

  /**
   * Undoes the host side of an attachment made through another {@link NetNs} object of the same
   * namespace (QEMU is gone or going): the tap, filters, MAC, addresses, routes and state exactly
   * as before, from the endpoint and its {@link org.vmm4j.network.LinkRestore}; and the kept file.
   */
  public static void releaseHost(Attachment a, NetNs ns, Path vmDir) {
    if (a.host() != null) {
      Endpoints.disconnect(ns, a.endpoint(), a.host().linkRestore());
      LinkRestoreFiles.delete(vmDir, a.name());
    }
  }

  private void undoHost(ConnectedEndpoint c, String name, RuntimeException cause) {
    try {
      c.close();
      LinkRestoreFiles.delete(vmDir, name);
    } catch (RuntimeException e) {
      LOG.warn(
          "{}: undoing the host side of {} failed too: {}", ctx.sandboxId(), name, e.toString());
      cause.addSuppressed(e);
    }
  }
}
