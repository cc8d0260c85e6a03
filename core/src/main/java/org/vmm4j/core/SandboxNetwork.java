package org.vmm4j.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DeviceKind;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.NetAttachRequest;
import org.vmm4j.core.internal.hotplug.NetworkPlugs;
import org.vmm4j.network.ConnectOptions;
import org.vmm4j.network.MacAddress;

/**
 * A running sandbox's network endpoints ({@link Sandbox#network()}): attach the interfaces of its
 * namespace ({@link #attach}) or a vhost-user backend ({@link #attachVhostUser}) to the running
 * guest, detach one ({@link #detach}), list them ({@link #endpoints}). Endpoints are {@link
 * Device}s like the others ({@link DeviceKind#NETWORK}, {@link DeviceKind#VHOST_USER_NET}): {@link
 * SandboxDevices#list()} shows them and {@link SandboxDevices#unplug} detaches them too. Each
 * attach and detach is one transaction of the sandbox.
 */
public final class SandboxNetwork {
  private final Sandbox sandbox;

  SandboxNetwork(Sandbox sandbox) {
    this.sandbox = sandbox;
  }

  /** The endpoints the store records now, in order. */
  public List<Device> endpoints() {
    return sandbox.devices().list().stream()
        .filter(d -> d.kind() == DeviceKind.NETWORK || d.kind() == DeviceKind.VHOST_USER_NET)
        .toList();
  }

  /** The endpoint named {@code name}, if the store records one. */
  public Optional<Device> find(String name) {
    return endpoints().stream().filter(e -> e.id().equals(name)).findFirst();
  }

  /**
   * Attaches interfaces of the sandbox's namespace to the running guest: scans it, connects each
   * new interface on the host and adds its NIC over QMP (see {@link NetAttachRequest}). All or
   * nothing: when one fails, those attached before it are detached again.
   *
   * @return what was attached, in scan order; {@link Device#id()} is the endpoint's name
   * @throws HotplugRefusedException for another namespace than the sandbox's, an interface that is
   *     not there or attached already, a physical NIC, or no bridge for the device
   * @throws HotplugException (or a {@link HostException} from netlink) naming the endpoint and the
   *     step that failed, after the rollback
   */
  public List<Device> attach(NetAttachRequest r) {
    HypervisorConfig c = sandbox.config();
    ConnectOptions o = ConnectOptions.of((int) Math.max(1, c.kata().numVcpus()));
    ConnectOptions options = c.kata().disableVhostNet() ? o.withoutVhostNet() : o;
    return sandbox.transact(
        tx -> NetworkPlugs.attach(tx, r.netns(), r.iface(), r.model(), options));
  }

  /**
   * Attaches a vhost-user network backend listening on {@code socket} (guest memory must be
   * shared), recorded as a {@code VhostUserEndpoint} named {@code vhost-user-<n>}.
   *
   * @param mac the guest NIC's MAC; empty for a random locally administered one
   * @throws HotplugRefusedException without the socket, or without shared guest memory
   */
  public Device attachVhostUser(Path socket, Optional<MacAddress> mac) {
    if (!Files.exists(socket)) {
      throw new HotplugRefusedException(
          "sandbox "
              + sandbox.id()
              + ": hotplug vhost-user-net: no vhost-user socket at "
              + socket);
    }
    return sandbox.transact(tx -> NetworkPlugs.attachVhostUser(tx, socket, mac));
  }

  /**
   * Detaches endpoint {@code name} ({@link SandboxDevices#unplug}): {@code device_del} and wait
   * (then {@code qom-list} says what is true), {@code netdev_del}, the slot freed, then the host
   * side restored exactly (no tap, macvtap, qdisc or filter left; the CNI interface's MAC,
   * addresses, routes and state back).
   *
   * @throws HotplugRefusedException when the state records no endpoint of that name
   * @throws DeviceStillPresentException when QEMU keeps the device (nothing changed)
   * @throws HotplugException when the device is gone (and the endpoint with it from the state) but
   *     its netdev or host side could not be removed: the message says what is left
   */
  public void detach(String name) {
    if (find(name).isEmpty()) {
      throw new HotplugRefusedException(
          "sandbox "
              + sandbox.id()
              + ": unplug "
              + name
              + ": no network endpoint of that name (endpoints: "
              + endpointNames()
              + ")");
    }
    sandbox.devices().unplug(name);
  }

  private String endpointNames() {
    List<String> names = endpoints().stream().map(Device::id).toList();
    return names.isEmpty() ? "none" : String.join(", ", names);
  }
}
