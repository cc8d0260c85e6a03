package org.vmm4j.network;

import java.util.List;

/** Routes, IPv4 and IPv6, any table ({@code ip route}). */
public final class Routes {
  private final RtnlSession session;

  Routes(RtnlSession session) {
    this.session = session;
  }

  /** Every route of every table (main, local, ...). */
  public List<Route> list() {
    return session.dump(RouteCodec.dump(), "routes").stream()
        .filter(m -> m.type() == NlConst.RTM_NEWROUTE)
        .map(RouteCodec::decode)
        .toList();
  }

  /** The routes of the main table that leave through {@code linkIndex} (what Kata lists). */
  public List<Route> listMain(int linkIndex) {
    return list().stream()
        .filter(r -> r.table() == Route.TABLE_MAIN && r.linkIndex() == linkIndex)
        .toList();
  }

  /**
   * Adds a route.
   *
   * @throws NetlinkException.Exists if an equal route is there
   */
  public void add(Route route) {
    session.call(RouteCodec.add(route), "route " + route);
  }

  /**
   * Deletes a route.
   *
   * @throws NetlinkException.NotFound (ESRCH) if no route matches
   */
  public void delete(Route route) {
    session.call(RouteCodec.delete(route), "route " + route);
  }
}
