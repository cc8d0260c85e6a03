package org.vmm4j.network;

import java.security.SecureRandom;

/**
 * Kata's two ways to join a CNI interface to the VM's tap (its {@code setupTCFiltering} and {@code
 * tapNetworkPair}), each step with its undo. Both run on the namespace's thread.
 */
final class PairModels {
  /** Kata's macvtap index workaround: indexes above 8192 keep {@code /dev/tapN} apart. */
  static final int MACVTAP_INDEX_BASE = 8192;

  static final int MACVTAP_INDEX_TRIES = 128;
  private static final int DEFAULT_QLEN = 1500;
  private static final SecureRandom RANDOM = new SecureRandom();

  private PairModels() {}

  /**
   * tcfilter: a multi-queue tap with the veth's MAC and MTU, ingress qdiscs on both, and u32
   * match-all filters redirecting every frame veth -> tap and tap -> veth. The veth is not touched
   * otherwise; teardown deletes the veth's ingress qdisc (its filter goes with it) and the tap.
   */
  static NetPair tcFilter(Setup s, NetPair pair, Link virt) {
    String tapName = pair.tap().name();
    s.createTap(tapName);
    s.openVhostNet();
    Link tap = s.nl.links().get(tapName);
    // Everything on the tap disappears with it: no undo of its own.
    s.nl.links().setMac(tap.index(), virt.mac());
    s.nl.links().setMtu(tap.index(), virt.mtu());
    s.nl.links().setUp(tap.index());
    s.nl.tc().addIngressQdisc(tap.index());
    s.nl.tc().addIngressQdisc(virt.index());
    s.undo.add(
        "delete ingress qdisc of " + virt.name(),
        () -> LinkSnapshot.ignoreMissing(() -> s.nl.tc().deleteIngressQdisc(virt.index())));
    // The veth's filter goes with the veth's qdisc, the tap's with the tap.
    s.nl.tc().addRedirect(virt.index(), 0, tap.index());
    s.nl.tc().addRedirect(tap.index(), 0, virt.index());
    return pair.withTap(pair.tap().withMac(virt.mac()));
  }

  /**
   * macvtap: a macvtap on the veth (bridge mode) takes the veth's MAC and MTU; the veth gets the
   * pair's random MAC and loses its addresses (they move to the guest side, {@code virt.addrs});
   * queues come from the macvtap's character device. Teardown puts the veth back exactly: MAC,
   * addresses, routes, up/down state.
   */
  static NetPair macvtap(Setup s, NetPair pair, Link virt) {
    LinkSnapshot before = LinkSnapshot.take(s.nl, virt);
    s.linkRestore = LinkRestore.of(before);
    Link mvt = createMacvtap(s, pair.tap().name(), virt);
    LinkSnapshot.deleteAddresses(s.nl, before.addresses());
    s.undo.add(
        "restore addresses and routes of " + virt.name(),
        () -> before.restoreAddressesAndRoutes(s.nl));
    s.changeMac(virt, pair.virt().mac());
    // The macvtap's own settings go with it.
    s.nl.links().setMtu(mvt.index(), virt.mtu());
    s.nl.links().setMac(mvt.index(), virt.mac());
    s.nl.links().setUp(mvt.index());
    s.ensureUp(virt);
    TapDevice queues =
        s.ctx.openMacvtap(s.nl.links().get(mvt.index()), s.options.queues(), s.options.devDir());
    s.queues = queues;
    s.undo.add("close macvtap queues", queues::close);
    s.openVhostNet();
    return pair.withTap(pair.tap().withMac(virt.mac()))
        .withVirt(pair.virt().withAddresses(before.addresses()));
  }

  /**
   * Creates the macvtap at a random index above 8192, retrying while the index is taken (EBUSY on
   * older kernels, EEXIST on newer ones: the name is checked first so EEXIST means the index).
   */
  private static Link createMacvtap(Setup s, String name, Link parent) {
    if (s.nl.links().find(name).isPresent()) {
      throw new NetlinkException.Exists(
          "create macvtap", name, "an interface of that name exists (File exists (EEXIST))", 17);
    }
    int qlen = parent.txQueueLength() == 0 ? DEFAULT_QLEN : parent.txQueueLength();
    for (int attempt = 1; ; attempt++) {
      int index = MACVTAP_INDEX_BASE + (RANDOM.nextInt() & 0xffff);
      LinkSpec spec =
          new LinkSpec.Macvtap(name, parent.index(), LinkDetails.Macvlan.MODE_BRIDGE, qlen, index);
      try {
        Link link = s.nl.links().create(spec);
        s.undo.add("delete macvtap " + name, () -> s.deleteLink(name));
        return link;
      } catch (NetlinkException.Busy | NetlinkException.Exists e) {
        if (attempt == MACVTAP_INDEX_TRIES) {
          throw e;
        }
      }
    }
  }
}
