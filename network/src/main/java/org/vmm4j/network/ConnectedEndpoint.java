package org.vmm4j.network;

import java.util.ArrayList;
import java.util.List;

/**
 * An endpoint wired up on the host, ready to be given to QEMU: the queue descriptors of its tap or
 * macvtap (one per queue, in order), vhost-net descriptors if any, the guest MAC and the ids QEMU
 * should use. {@link #close()} tears it down and leaves the namespace as it was before {@link
 * Endpoints#connect} (the CNI interface's MAC, addresses, routes and state restored; no tap,
 * macvtap, qdisc or filter left).
 *
 * <p>Owns the descriptors. QEMU gets its own copies through {@code getfd}; after that, {@link
 * #closeFds()} may drop ours (a persistent tap and a macvtap stay while QEMU holds queues).
 */
public final class ConnectedEndpoint implements AutoCloseable {
  private final NetNs ns;
  private final Endpoint endpoint;
  private final TapDevice queues;
  private final List<OwnedFd> vhostFds;
  private final VhostNet vhostNet;
  private final UndoLog undo;
  private final ConnectOptions options;
  private final LinkRestore linkRestore;
  private boolean closed;

  ConnectedEndpoint(
      NetNs ns,
      Endpoint endpoint,
      TapDevice queues,
      List<OwnedFd> vhostFds,
      VhostNet vhostNet,
      UndoLog undo,
      ConnectOptions options,
      LinkRestore linkRestore) {
    this.ns = ns;
    this.endpoint = endpoint;
    this.queues = queues;
    this.vhostFds = List.copyOf(vhostFds);
    this.vhostNet = vhostNet;
    this.undo = undo;
    this.options = options;
    this.linkRestore = linkRestore;
  }

  /** The endpoint with what set-up learned (guest MAC, moved addresses): the value to persist. */
  public Endpoint endpoint() {
    return endpoint;
  }

  /**
   * What the persisted endpoint lacks to restore the CNI interface exactly ({@link
   * LinkRestore#NONE} when it lacks nothing): keep it with the state for {@link
   * Endpoints#disconnect(NetNs, Endpoint, LinkRestore)}.
   */
  public LinkRestore linkRestore() {
    return linkRestore;
  }

  /** The namespace it lives in. */
  public NetNs namespace() {
    return ns;
  }

  /** QEMU's netdev id: {@code br<idx>_kata} for paired endpoints, else the endpoint name. */
  public String netdevId() {
    return endpoint instanceof Endpoint.Paired p ? p.pair().name() : endpoint.name();
  }

  /** QEMU's device id of the guest NIC: {@code virtio-<uuid>} (Kata's {@code "virtio-" + ID}). */
  public String deviceId() {
    if (endpoint instanceof Endpoint.Paired p) {
      return "virtio-" + p.pair().id();
    }
    if (endpoint instanceof Endpoint.Tap t) {
      return "virtio-" + t.id();
    }
    return "virtio-" + endpoint.name();
  }

  /** The MAC the guest NIC must get. */
  public MacAddress guestMac() {
    return endpoint.guestMac();
  }

  /** The tap or macvtap interface QEMU's queues belong to, or empty (vhost-user, physical). */
  public String tapName() {
    return queues == null ? "" : queues.name();
  }

  /** The queue descriptors (tap or macvtap), queue 0 first; empty for vhost-user and physical. */
  public List<OwnedFd> queueFds() {
    return queues == null ? List.of() : queues.queues();
  }

  /** One vhost-net descriptor per queue, or empty (see {@link #vhostNet()} for why). */
  public List<OwnedFd> vhostFds() {
    return vhostFds;
  }

  /** Whether vhost-net descriptors were opened, and if not why. */
  public VhostNet vhostNet() {
    return vhostNet;
  }

  /** Closes our copies of the queue and vhost descriptors (after QEMU got its own). */
  public void closeFds() {
    if (queues != null) {
      queues.close();
    }
    vhostFds.forEach(OwnedFd::close);
  }

  /**
   * Tears the endpoint down on the host: closes the descriptors and undoes every set-up step,
   * newest first, continuing past failures. Idempotent.
   *
   * @throws NetlinkException if something could not be put back (each failure is suppressed in it)
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<RuntimeException> failures = new ArrayList<>();
    try {
      closeFds();
    } catch (RuntimeException e) {
      failures.add(e);
    }
    failures.addAll(ns.run(ctx -> undo.unwind(), options.timeout()));
    if (!failures.isEmpty()) {
      NetlinkException e =
          new NetlinkException(
              "teardown",
              endpoint.type() + " " + endpoint.name(),
              failures.size() + " step(s) failed, first: " + failures.get(0).getMessage(),
              0);
      failures.forEach(e::addSuppressed);
      throw e;
    }
  }

  @Override
  public String toString() {
    return "connected "
        + endpoint.type()
        + " "
        + endpoint.name()
        + " netdev "
        + netdevId()
        + " mac "
        + guestMac()
        + " queues "
        + queueFds().size();
  }
}
