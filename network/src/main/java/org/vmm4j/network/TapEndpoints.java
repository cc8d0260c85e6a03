package org.vmm4j.network;

import java.util.Optional;

/** Set-up of the endpoints that are a tap or macvtap themselves (no pair). */
final class TapEndpoints {
  private TapEndpoints() {}

  /**
   * A tap endpoint: creates tap {@code tap.name} with one queue per vCPU (or, if a tap of that name
   * exists, attaches queues to it), gives it the endpoint's MAC and MTU and sets it up. A tap it
   * created is deleted on teardown; an existing one gets its MAC, MTU and state back.
   */
  static Endpoint.Tap connect(Setup s, Endpoint.Tap t) {
    String name = t.tap().name();
    Optional<Link> existing = s.nl.links().find(name);
    Link link = existing.isPresent() ? attach(s, t, existing.get()) : create(s, t);
    if (t.mtu() > 0) {
      s.nl.links().setMtu(link.index(), t.mtu());
    }
    s.ensureUp(link);
    s.openVhostNet();
    MacAddress mac = s.nl.links().get(link.index()).mac();
    return new Endpoint.Tap(t.id(), t.name(), t.tap().withMac(mac), t.mtu(), t.pciPath());
  }

  /** A new persistent tap, deleted on teardown (its settings go with it). */
  private static Link create(Setup s, Endpoint.Tap t) {
    s.createTap(t.tap().name());
    Link link = s.nl.links().get(t.tap().name());
    if (t.tap().mac() != null) {
      s.nl.links().setMac(link.index(), t.tap().mac());
    }
    return link;
  }

  /** Queues on an existing tap, whose MAC and MTU are put back on teardown. */
  private static Link attach(Setup s, Endpoint.Tap t, Link old) {
    String name = old.name();
    if (!old.isTap()) {
      throw new NetlinkException.Exists(
          "connect", "tap " + name, "exists and is not a tap (kind '" + old.kind() + "')", 17);
    }
    int flags = TapDevice.Config.kata(name, 1).flags();
    s.queues = s.ctx.openTap(new TapDevice.Config(name, s.options.queues(), flags, false));
    s.undo.add("close queues of " + name, s.queues::close);
    if (t.mtu() > 0 && old.mtu() != t.mtu()) {
      s.undo.add("restore mtu of " + name, () -> s.nl.links().setMtu(old.index(), old.mtu()));
    }
    if (t.tap().mac() != null) {
      s.changeMac(old, t.tap().mac());
    }
    return old;
  }

  /**
   * A macvtap endpoint: opens its queues through its character device (Kata: {@code /dev/tapN}).
   */
  static Endpoint.Macvtap connectMacvtap(Setup s, Endpoint.Macvtap m) {
    Link link = s.nl.links().get(m.name());
    if (!"macvtap".equals(link.kind())) {
      throw new NetlinkException.InvalidArgument(
          "connect", "macvtap " + m.name(), "interface is of kind '" + link.kind() + "'", 22);
    }
    s.queues = s.ctx.openMacvtap(link, s.options.queues(), s.options.devDir());
    s.undo.add("close queues of " + m.name(), s.queues::close);
    s.openVhostNet();
    return new Endpoint.Macvtap(m.name(), link.mac(), m.pciPath());
  }
}
