package org.vmm4j.network;

/**
 * {@code RTM_*LINK} messages ({@code linux/if_link.h}, {@code linux/veth.h}, {@code
 * linux/if_tun.h}). The attribute order follows iproute2, so requests compare byte for byte with
 * what {@code ip link} sends (the golden tests do).
 */
final class LinkCodec {
  public static final int IFINFOMSG_LEN = 16;

  public static final int IFLA_ADDRESS = 1;
  public static final int IFLA_IFNAME = 3;
  public static final int IFLA_MTU = 4;
  public static final int IFLA_LINK = 5;
  public static final int IFLA_MASTER = 10;
  public static final int IFLA_TXQLEN = 13;
  public static final int IFLA_OPERSTATE = 16;
  public static final int IFLA_LINKINFO = 18;
  public static final int IFLA_NET_NS_PID = 19;
  public static final int IFLA_NET_NS_FD = 28;
  public static final int IFLA_EXT_MASK = 29;

  public static final int IFLA_INFO_KIND = 1;
  public static final int IFLA_INFO_DATA = 2;
  public static final int VETH_INFO_PEER = 1;
  public static final int IFLA_MACVLAN_MODE = 1;
  public static final int IFLA_TUN_TYPE = 3;
  public static final int IFLA_TUN_PI = 4;
  public static final int IFLA_TUN_VNET_HDR = 5;
  public static final int IFLA_TUN_PERSIST = 6;
  public static final int IFLA_TUN_MULTI_QUEUE = 7;

  /** {@code RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS}, as {@code ip link show} asks. */
  public static final int EXT_MASK = 9;

  private LinkCodec() {}

  /** {@code ip link add ...}: create with {@code NLM_F_CREATE | NLM_F_EXCL}. */
  public static MessageWriter create(LinkSpec spec, OwnedFd peerNamespaceFd) {
    int index = spec instanceof LinkSpec.Macvtap m ? m.index() : 0;
    MessageWriter w =
        new MessageWriter(NlConst.RTM_NEWLINK, NlConst.NLM_F_CREATE | NlConst.NLM_F_EXCL)
            .ifinfomsg(NlConst.AF_UNSPEC, 0, index, 0, 0);
    if (spec instanceof LinkSpec.Macvtap m) {
      w.attrU32(IFLA_LINK, m.parentIndex());
    }
    w.attrString(IFLA_IFNAME, spec.name());
    if (spec instanceof LinkSpec.Macvtap m && m.txQueueLength() > 0) {
      w.attrU32(IFLA_TXQLEN, m.txQueueLength());
    }
    int info = w.begin(IFLA_LINKINFO);
    w.attrBareString(IFLA_INFO_KIND, spec.kind());
    if (spec instanceof LinkSpec.Veth v) {
      int data = w.begin(IFLA_INFO_DATA);
      int peer = w.begin(VETH_INFO_PEER);
      w.ifinfomsg(NlConst.AF_UNSPEC, 0, 0, 0, 0).attrString(IFLA_IFNAME, v.peerName());
      if (peerNamespaceFd != null) {
        peerNamespaceFd.borrow(fd -> w.attrU32(IFLA_NET_NS_FD, fd));
      }
      w.end(peer).end(data);
    } else if (spec instanceof LinkSpec.Macvtap m) {
      int data = w.begin(IFLA_INFO_DATA);
      w.attrU32(IFLA_MACVLAN_MODE, m.mode()).end(data);
    }
    return w.end(info);
  }

  /** {@code ip link set ...}: an {@code RTM_NEWLINK} on an existing index, no create flags. */
  public static MessageWriter change(int index, int flags, int change) {
    return new MessageWriter(NlConst.RTM_NEWLINK, 0)
        .ifinfomsg(NlConst.AF_UNSPEC, 0, index, flags, change);
  }

  public static MessageWriter setUp(int index, boolean up) {
    return change(index, up ? Link.IFF_UP : 0, Link.IFF_UP);
  }

  public static MessageWriter setMtu(int index, int mtu) {
    return change(index, 0, 0).attrU32(IFLA_MTU, mtu);
  }

  public static MessageWriter setMac(int index, MacAddress mac) {
    return change(index, 0, 0).attr(IFLA_ADDRESS, mac.bytes());
  }

  /** {@code masterIndex} 0 = {@code nomaster}. */
  public static MessageWriter setMaster(int index, int masterIndex) {
    return change(index, 0, 0).attrU32(IFLA_MASTER, masterIndex);
  }

  public static MessageWriter setTxQueueLength(int index, int length) {
    return change(index, 0, 0).attrU32(IFLA_TXQLEN, length);
  }

  /** Moves the link into the namespace behind {@code namespaceFd}. */
  public static MessageWriter setNamespace(int index, OwnedFd namespaceFd) {
    MessageWriter w = change(index, 0, 0);
    namespaceFd.borrow(fd -> w.attrU32(IFLA_NET_NS_FD, fd));
    return w;
  }

  public static MessageWriter delete(int index) {
    return new MessageWriter(NlConst.RTM_DELLINK, 0).ifinfomsg(NlConst.AF_UNSPEC, 0, index, 0, 0);
  }

  public static MessageWriter getByIndex(int index) {
    return new MessageWriter(NlConst.RTM_GETLINK, 0)
        .ifinfomsg(NlConst.AF_UNSPEC, 0, index, 0, 0)
        .attrU32(IFLA_EXT_MASK, EXT_MASK);
  }

  public static MessageWriter getByName(String name) {
    return new MessageWriter(NlConst.RTM_GETLINK, 0)
        .ifinfomsg(NlConst.AF_UNSPEC, 0, 0, 0, 0)
        .attrString(IFLA_IFNAME, name)
        .attrU32(IFLA_EXT_MASK, EXT_MASK);
  }

  public static MessageWriter dump() {
    return new MessageWriter(NlConst.RTM_GETLINK, 0)
        .ifinfomsg(NlConst.AF_UNSPEC, 0, 0, 0, 0)
        .attrU32(IFLA_EXT_MASK, EXT_MASK);
  }

  /** Decodes an {@code RTM_NEWLINK} reply. */
  public static Link decode(Message m) {
    Attrs a = m.attrs(IFINFOMSG_LEN);
    Attrs info = a.nested(IFLA_LINKINFO);
    String kind = info.string(IFLA_INFO_KIND);
    byte[] mac = a.bytes(IFLA_ADDRESS);
    return new Link(
        m.i32(4),
        a.string(IFLA_IFNAME),
        kind == null ? "" : kind,
        mac != null && mac.length == 6 ? MacAddress.of(mac) : null,
        a.u32(IFLA_MTU, 0),
        m.i32(8),
        a.u32(IFLA_TXQLEN, 0),
        a.u32(IFLA_LINK, 0),
        a.u32(IFLA_MASTER, 0),
        a.u8(IFLA_OPERSTATE, 0),
        m.u16(2),
        details(kind, info.nested(IFLA_INFO_DATA)));
  }

  private static LinkDetails details(String kind, Attrs data) {
    if ("tun".equals(kind)) {
      return new LinkDetails.Tun(
          data.u8(IFLA_TUN_TYPE, 0) == 2,
          data.u8(IFLA_TUN_MULTI_QUEUE, 0) != 0,
          data.u8(IFLA_TUN_PERSIST, 0) != 0,
          data.u8(IFLA_TUN_VNET_HDR, 0) != 0,
          data.u8(IFLA_TUN_PI, 0) != 0);
    }
    if ("macvtap".equals(kind) || "macvlan".equals(kind)) {
      return new LinkDetails.Macvlan(data.u32(IFLA_MACVLAN_MODE, 0));
    }
    return new LinkDetails.None();
  }
}
