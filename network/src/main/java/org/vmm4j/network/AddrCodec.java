package org.vmm4j.network;

import java.net.InetAddress;
import java.nio.ByteBuffer;

/** {@code RTM_*ADDR} messages ({@code linux/if_addr.h}), attributes in iproute2's order. */
final class AddrCodec {
  public static final int IFADDRMSG_LEN = 8;
  public static final int IFA_ADDRESS = 1;
  public static final int IFA_LOCAL = 2;
  public static final int IFA_LABEL = 3;
  public static final int IFA_BROADCAST = 4;
  public static final int IFA_CACHEINFO = 6;
  public static final int IFA_FLAGS = 8;

  /**
   * Flags a caller may set when adding ({@code NODAD, OPTIMISTIC, HOMEADDRESS, MANAGETEMPADDR,
   * NOPREFIXROUTE, MCAUTOJOIN}); the kernel sets the others (permanent, secondary, tentative...).
   */
  static final int SETTABLE_FLAGS = 0x02 | 0x04 | 0x10 | 0x100 | 0x200 | 0x400;

  private AddrCodec() {}

  /** {@code ip addr add}. */
  public static MessageWriter add(Address a) {
    int flags = a.flags() & SETTABLE_FLAGS;
    MessageWriter w =
        new MessageWriter(NlConst.RTM_NEWADDR, NlConst.NLM_F_CREATE | NlConst.NLM_F_EXCL)
            .ifaddrmsg(
                a.local().family(), a.local().length(), flags & 0xff, a.scope(), a.linkIndex());
    w.attr(IFA_LOCAL, a.local().address().getAddress());
    if (a.broadcast() != null) {
      w.attr(IFA_BROADCAST, a.broadcast().getAddress());
    }
    if (!a.label().isEmpty()) {
      w.attrString(IFA_LABEL, a.label());
    }
    IpPrefix peer = a.peer() == null ? a.local() : a.peer();
    w.attr(IFA_ADDRESS, peer.address().getAddress());
    if (flags > 0xff) {
      w.attrU32(IFA_FLAGS, flags);
    }
    if (a.preferredLifetime() != Address.FOREVER || a.validLifetime() != Address.FOREVER) {
      int start = w.begin(IFA_CACHEINFO);
      w.u32((int) a.preferredLifetime()).u32((int) a.validLifetime()).u32(0).u32(0).end(start);
    }
    return w;
  }

  /** {@code ip addr del}. */
  public static MessageWriter delete(Address a) {
    MessageWriter w =
        new MessageWriter(NlConst.RTM_DELADDR, 0)
            .ifaddrmsg(a.local().family(), a.local().length(), 0, 0, a.linkIndex());
    w.attr(IFA_LOCAL, a.local().address().getAddress());
    IpPrefix peer = a.peer() == null ? a.local() : a.peer();
    return w.attr(IFA_ADDRESS, peer.address().getAddress());
  }

  /** Every address of every family. */
  public static MessageWriter dump() {
    return new MessageWriter(NlConst.RTM_GETADDR, 0).ifaddrmsg(NlConst.AF_UNSPEC, 0, 0, 0, 0);
  }

  /** Decodes an {@code RTM_NEWADDR}. */
  public static Address decode(Message m) {
    int prefixLen = m.u8(1);
    Attrs a = m.attrs(IFADDRMSG_LEN);
    InetAddress address = a.address(IFA_ADDRESS);
    InetAddress local = a.address(IFA_LOCAL);
    IpPrefix peer = null;
    if (local == null) {
      local = address;
    } else if (address != null && !address.equals(local)) {
      peer = new IpPrefix(address, prefixLen);
    }
    long preferred = Address.FOREVER;
    long valid = Address.FOREVER;
    ByteBuffer ci = a.get(IFA_CACHEINFO).orElse(null);
    if (ci != null && ci.remaining() >= 8) {
      preferred = ci.getInt(0) & 0xffff_ffffL;
      valid = ci.getInt(4) & 0xffff_ffffL;
    }
    String label = a.string(IFA_LABEL);
    return new Address(
        m.i32(4),
        new IpPrefix(local, prefixLen),
        label == null ? "" : label,
        a.u32(IFA_FLAGS, m.u8(2)),
        m.u8(3),
        peer,
        a.address(IFA_BROADCAST),
        preferred,
        valid);
  }
}
