package org.vmm4j.network;

/** {@code RTM_*ROUTE} messages ({@code linux/rtnetlink.h}), attributes in iproute2's order. */
final class RouteCodec {
  public static final int RTMSG_LEN = 12;
  public static final int RTA_DST = 1;
  public static final int RTA_OIF = 4;
  public static final int RTA_GATEWAY = 5;
  public static final int RTA_PRIORITY = 6;
  public static final int RTA_PREFSRC = 7;
  public static final int RTA_TABLE = 15;
  static final int RT_SCOPE_NOWHERE = 255;

  private RouteCodec() {}

  /** {@code ip route add}. */
  public static MessageWriter add(Route r) {
    MessageWriter w =
        new MessageWriter(NlConst.RTM_NEWROUTE, NlConst.NLM_F_CREATE | NlConst.NLM_F_EXCL)
            .rtmsg(r.family(), dstLen(r), tableByte(r.table()), r.protocol(), r.scope(), r.type());
    return attrs(w, r, true);
  }

  /** {@code ip route del}: matches on destination, table, and gateway/device/metric when given. */
  public static MessageWriter delete(Route r) {
    MessageWriter w =
        new MessageWriter(NlConst.RTM_DELROUTE, 0)
            .rtmsg(r.family(), dstLen(r), tableByte(r.table()), 0, RT_SCOPE_NOWHERE, 0);
    return attrs(w, r, false);
  }

  private static MessageWriter attrs(MessageWriter w, Route r, boolean withSource) {
    if (r.table() > 255) {
      w.attrU32(RTA_TABLE, r.table());
    }
    if (r.destination() != null) {
      w.attr(RTA_DST, r.destination().address().getAddress());
    }
    if (withSource && r.preferredSource() != null) {
      w.attr(RTA_PREFSRC, r.preferredSource().getAddress());
    }
    if (r.gateway() != null) {
      w.attr(RTA_GATEWAY, r.gateway().getAddress());
    }
    if (r.priority() != 0) {
      w.attrU32(RTA_PRIORITY, r.priority());
    }
    if (r.linkIndex() != 0) {
      w.attrU32(RTA_OIF, r.linkIndex());
    }
    return w;
  }

  private static int dstLen(Route r) {
    return r.destination() == null ? 0 : r.destination().length();
  }

  private static int tableByte(int table) {
    return table > 255 ? 0 : table;
  }

  /** Every route of every family and table. */
  public static MessageWriter dump() {
    return new MessageWriter(NlConst.RTM_GETROUTE, 0).rtmsg(NlConst.AF_UNSPEC, 0, 0, 0, 0, 0);
  }

  /** Decodes an {@code RTM_NEWROUTE}. */
  public static Route decode(Message m) {
    int family = m.u8(0);
    int dstLen = m.u8(1);
    Attrs a = m.attrs(RTMSG_LEN);
    IpPrefix dst = null;
    if (a.has(RTA_DST)) {
      dst = new IpPrefix(a.address(RTA_DST), dstLen);
    } else if (dstLen != 0) {
      throw new IllegalStateException("route with prefix length " + dstLen + " but no RTA_DST");
    }
    return new Route(
        family,
        dst,
        a.address(RTA_GATEWAY),
        a.address(RTA_PREFSRC),
        a.u32(RTA_OIF, 0),
        a.u32(RTA_TABLE, m.u8(4)),
        m.u8(5),
        m.u8(6),
        m.u8(7),
        a.u32(RTA_PRIORITY, 0));
  }
}
