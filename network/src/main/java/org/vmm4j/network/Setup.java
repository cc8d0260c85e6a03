package org.vmm4j.network;

import java.util.ArrayList;
import java.util.List;

/**
 * The state of one endpoint set-up on a namespace's thread: the namespace context, its netlink
 * connection, the undo log, the options, and the descriptors opened so far (owned here until handed
 * to the {@link ConnectedEndpoint}).
 */
final class Setup {
  final NetNs.Context ctx;
  final Netlink nl;
  final UndoLog undo = new UndoLog();
  final ConnectOptions options;
  final String endpoint;
  final List<OwnedFd> vhostFds = new ArrayList<>();
  VhostNet vhostNet = VhostNet.NOT_APPLICABLE;
  TapDevice queues;
  LinkRestore linkRestore = LinkRestore.NONE;

  Setup(NetNs.Context ctx, ConnectOptions options, String endpoint) {
    this.ctx = ctx;
    this.nl = ctx.netlink();
    this.options = options;
    this.endpoint = endpoint;
  }

  /** Creates a Kata tap (persistent, multi-queue, vnet header) and registers its deletion. */
  TapDevice createTap(String name) {
    if (nl.links().find(name).isPresent()) {
      throw new NetlinkException.Exists(
          "create tap", name, "an interface of that name exists (File exists (EEXIST))", 17);
    }
    TapDevice tap = ctx.openTap(TapDevice.Config.kata(name, options.queues()));
    queues = tap;
    undo.add(
        "delete tap " + name,
        () -> {
          tap.close();
          deleteLink(name);
        });
    return tap;
  }

  /** Opens vhost-net descriptors when wanted and present; their closing is registered. */
  void openVhostNet() {
    vhostNet = VhostNet.open(options, endpoint, vhostFds);
    if (!vhostFds.isEmpty()) {
      List<OwnedFd> fds = List.copyOf(vhostFds);
      undo.add("close vhost-net fds", () -> fds.forEach(OwnedFd::close));
    }
  }

  /** Deletes a link by name; already gone is fine. */
  void deleteLink(String name) {
    nl.links()
        .find(name)
        .ifPresent(l -> LinkSnapshot.ignoreMissing(() -> nl.links().delete(l.index())));
  }

  /** Sets {@code link} up and registers setting it down again, unless it already was up. */
  void ensureUp(Link link) {
    if (!link.isUp()) {
      nl.links().setUp(link.index());
      undo.add("set " + link.name() + " down", () -> nl.links().setDown(link.index()));
    }
  }

  /** Sets {@code link}'s MAC and registers restoring the current one. */
  void changeMac(Link link, MacAddress mac) {
    nl.links().setMac(link.index(), mac);
    MacAddress old = link.mac();
    undo.add(
        "restore " + link.name() + " address " + old, () -> nl.links().setMac(link.index(), old));
  }

  /** The connected endpoint; from here the descriptors and undo log belong to it. */
  ConnectedEndpoint done(Endpoint ep) {
    return new ConnectedEndpoint(
        ctx.namespace(), ep, queues, vhostFds, vhostNet, undo, options, linkRestore);
  }

  /** After a failure: closes what was opened and undoes every step. */
  void fail(Throwable cause) {
    undo.rollback(cause);
    vhostFds.forEach(OwnedFd::close);
    if (queues != null) {
      queues.close();
    }
  }
}
