/**
 * Network endpoints for VMs, on rtnetlink over JNA: the host side of Kata's network (discovery of
 * what the CNI plugin left, the tcfilter and macvtap models, the endpoint types), without forking
 * {@code ip} or {@code tc}.
 *
 * <h2>Layers</h2>
 *
 * <ul>
 *   <li>{@link org.vmm4j.network.Netlink}: links ({@link org.vmm4j.network.Links}), addresses,
 *       routes, traffic control, in the namespace the socket was opened in. Values: {@link
 *       org.vmm4j.network.Link}, {@link org.vmm4j.network.Address}, {@link
 *       org.vmm4j.network.Route}, {@link org.vmm4j.network.Qdisc}, {@link
 *       org.vmm4j.network.TcFilter}. Errors: {@link org.vmm4j.network.NetlinkException} and its
 *       typed subclasses, raised where the errno is read.
 *   <li>{@link org.vmm4j.network.NetNs}: a network namespace ({@code ip netns} compatible) and its
 *       dedicated platform thread; all namespace-bound work (netlink sockets, {@code /dev/net/tun},
 *       macvtap character devices, sysfs) goes through {@link org.vmm4j.network.NetNs#run}.
 *   <li>{@link org.vmm4j.network.Endpoint}: Kata's endpoint kinds as values, built by {@link
 *       org.vmm4j.network.NetworkScanner} from what a CNI plugin left in a namespace; {@link
 *       org.vmm4j.network.Endpoints#connect} wires one up (tcfilter or macvtap model, taps, queues,
 *       vhost-net) and returns a {@link org.vmm4j.network.ConnectedEndpoint} that owns the queue
 *       descriptors and the teardown.
 *   <li>{@link org.vmm4j.network.EndpointRecords}: endpoints in Kata's persisted schema ({@code
 *       NetworkEndpoint}, {@code NetworkInfo}) and back, every kind (tuntap included); {@link
 *       org.vmm4j.network.LinkRestore}: what that schema lacks to give a CNI interface back exactly
 *       ({@link org.vmm4j.network.Endpoints#disconnect(org.vmm4j.network.NetNs,
 *       org.vmm4j.network.Endpoint, org.vmm4j.network.LinkRestore)}).
 * </ul>
 *
 * <h2>Internal layers (package-private)</h2>
 *
 * <ul>
 *   <li>rtnetlink in plain Java: message building ({@code MessageWriter}) and parsing ({@code
 *       Message}, {@code Attrs}), the request/ack/dump protocol ({@code RtnlSession}) and one codec
 *       per object kind ({@code LinkCodec}, {@code AddrCodec}, {@code RouteCodec}, {@code
 *       NeighCodec}, {@code TcCodec}). No native calls: it talks to a {@link
 *       org.vmm4j.network.NetlinkTransport}, so every byte can be checked against golden captures.
 *   <li>The JNA layer: the only code that calls libc ({@code LibC}: sockets in {@code
 *       NativeNetlinkSocket}, {@code open}/{@code ioctl} in {@code Fds} and {@code Tun}, {@code
 *       setns}/{@code unshare}/{@code mount} in {@code Namespaces}, {@code mknod} in {@code
 *       DeviceNodes}) and sees raw descriptors. Each native call carries a {@code // NATIVE:}
 *       comment (preconditions, ownership); errno becomes a typed {@link
 *       org.vmm4j.network.NetlinkException} right there ({@code Errno}). Raw descriptors are
 *       wrapped in an {@link org.vmm4j.network.OwnedFd} as soon as they exist.
 * </ul>
 *
 * <h2>Rules</h2>
 *
 * <ul>
 *   <li>Every native handle is an {@link org.vmm4j.network.OwnedFd} (or an object owning some) with
 *       one owner; raw descriptor numbers exist only inside the JNA layer and {@link
 *       org.vmm4j.network.OwnedFd#borrow} (for SCM_RIGHTS).
 *   <li>Every blocking call has a deadline: {@link org.vmm4j.network.Netlink#DEFAULT_TIMEOUT} per
 *       request, {@link org.vmm4j.network.NetNs#DEFAULT_TIMEOUT} per namespace task, both
 *       overridable.
 *   <li>Every set-up step registers its undo; a failure rolls back, teardown undoes everything and
 *       restores the CNI interface exactly.
 * </ul>
 */
package org.vmm4j.network;
