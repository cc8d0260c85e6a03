package org.vmm4j.core.net;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.vmm4j.core.hotplug.DeviceStillPresentException;
import org.vmm4j.core.hotplug.HotplugContext;
import org.vmm4j.core.hotplug.HotplugException;
import org.vmm4j.core.hotplug.HotplugRefusedException;
import org.vmm4j.core.hotplug.NetHotplug;
import org.vmm4j.core.hotplug.PluggedNet;
import org.vmm4j.core.hotplug.PluggedVhostUser;
import org.vmm4j.core.hotplug.VhostUserHotplug;
import org.vmm4j.devices.DeviceKind;
import org.vmm4j.network.Endpoint;
import org.vmm4j.network.Endpoints;
import org.vmm4j.network.NetNs;

/**
 * Detaches a recorded endpoint from what the state keeps, in any process: the device over QMP
 * ({@code device_del} and wait, {@code netdev_del}, the slot), then the host side ({@link
 * Endpoints#disconnect} with the {@link LinkRestoreFiles} kept beside the state: no tap, macvtap,
 * qdisc or filter left, the CNI interface's MAC, addresses, routes and state as before).
 */
public final class EndpointDetacher {
  private EndpointDetacher() {}

  /**
   * Detaches {@code r}. Once QEMU no longer has the device (its slot is freed), the endpoint is
   * gone whatever else fails: such a failure (a netdev QEMU kept, a host step) is returned for the
   * caller to report after it recorded the removal.
   *
   * @param netNsPath the sandbox's namespace ("" for none)
   * @throws DeviceStillPresentException when QEMU keeps the device (nothing changed)
   * @throws HotplugException when QMP failed before the device was known to be gone
   * @throws HotplugRefusedException for an endpoint vmm4j does not detach (physical, or a macvtap
   *     whose device is not recorded)
   */
  public static Optional<RuntimeException> detach(
      HotplugContext ctx, RecordedEndpoint r, String netNsPath, Path vmDir) {
    String what = "sandbox " + ctx.sandboxId() + ": unplug " + r.endpoint().type() + " " + r.name();
    Endpoint e = r.endpoint();
    if (e instanceof Endpoint.Physical || r.deviceId().isEmpty()) {
      throw new HotplugRefusedException(
          what
              + ": no QEMU device is recorded for it (a physical NIC, or a macvtap whose slot"
              + " is not in Bridges)");
    }
    Optional<RuntimeException> leftover = unplugDevice(ctx, r);
    if (e instanceof Endpoint.Paired || e instanceof Endpoint.Tap) {
      try {
        disconnectHost(e, netNsPath, vmDir);
      } catch (RuntimeException x) {
        HotplugException h =
            new HotplugException(
                what + ": the device is gone but the host side was not restored: " + x.getMessage(),
                x);
        leftover.ifPresent(h::addSuppressed);
        return Optional.of(h);
      }
    }
    return leftover;
  }

  private static Optional<RuntimeException> unplugDevice(HotplugContext ctx, RecordedEndpoint r) {
    try {
      if (r.endpoint() instanceof Endpoint.VhostUser v) {
        new VhostUserHotplug(ctx)
            .unplug(
                new PluggedVhostUser(
                    DeviceKind.VHOST_USER_NET,
                    NetIds.vhostUserDevId(v.name()),
                    "",
                    "",
                    r.pciPath(),
                    -1));
      } else {
        new NetHotplug(ctx)
            .unplug(new PluggedNet(r.name(), r.deviceId(), r.netdevId(), "", 0, r.pciPath()));
      }
      return Optional.empty();
    } catch (DeviceStillPresentException e) {
      throw e;
    } catch (HotplugException e) {
      // the flows free the slot only once the device is gone
      if (ctx.topology().find(r.deviceId()).isPresent()) {
        throw e;
      }
      return Optional.of(e);
    }
  }

  private static void disconnectHost(Endpoint e, String netNsPath, Path vmDir) {
    if (netNsPath.isEmpty() || !Files.exists(Path.of(netNsPath))) {
      // no namespace any more: its interfaces, ours included, went with it
      LinkRestoreFiles.delete(vmDir, e.name());
      return;
    }
    try (NetNs ns = NetNs.open(Path.of(netNsPath))) {
      Endpoints.disconnect(ns, e, LinkRestoreFiles.read(vmDir, e.name()));
    }
    LinkRestoreFiles.delete(vmDir, e.name());
  }
}
