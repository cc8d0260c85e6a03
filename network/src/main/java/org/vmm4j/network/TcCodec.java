package org.vmm4j.network;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Traffic-control messages ({@code linux/pkt_sched.h}, {@code pkt_cls.h}, {@code
 * tc_act/tc_mirred.h}): the ingress qdisc and the u32 match-all filter with a mirred egress
 * redirect that Kata's tcfilter model puts on both sides. Byte for byte what {@code tc} sends for
 * {@code tc qdisc add dev X ingress} and {@code tc filter add dev X parent ffff: protocol all u32
 * match u8 0 0 action mirred egress redirect dev Y}.
 */
final class TcCodec {
  public static final int TCMSG_LEN = 20;
  public static final int TCA_KIND = 1;
  public static final int TCA_OPTIONS = 2;
  public static final int TCA_U32_SEL = 5;
  public static final int TCA_U32_ACT = 7;
  public static final int TCA_ACT_KIND = 1;
  public static final int TCA_ACT_OPTIONS = 2;
  public static final int TCA_MIRRED_PARMS = 2;
  public static final int NLA_F_NESTED = 0x8000;
  public static final int TC_U32_TERMINAL = 1;
  public static final int TC_ACT_STOLEN = 4;
  public static final int TCA_EGRESS_REDIR = 1;
  public static final int ETH_P_ALL = 3;

  /** The ingress qdisc's pseudo class, the parent of its filters ({@code ffff:}). */
  public static final int INGRESS_FILTER_PARENT = 0xffff0000;

  private TcCodec() {}

  /** {@code tc qdisc add dev X ingress}. */
  public static MessageWriter addIngress(int ifindex) {
    return new MessageWriter(NlConst.RTM_NEWQDISC, NlConst.NLM_F_CREATE | NlConst.NLM_F_EXCL)
        .tcmsg(ifindex, Qdisc.INGRESS_HANDLE, Qdisc.INGRESS_PARENT, 0)
        .attrString(TCA_KIND, "ingress");
  }

  /** {@code tc qdisc del dev X ingress} (its filters go with it). */
  public static MessageWriter deleteIngress(int ifindex) {
    return new MessageWriter(NlConst.RTM_DELQDISC, 0)
        .tcmsg(ifindex, Qdisc.INGRESS_HANDLE, Qdisc.INGRESS_PARENT, 0)
        .attrString(TCA_KIND, "ingress");
  }

  /**
   * {@code tc filter add dev X parent ffff: [pref P] protocol all u32 match u8 0 0 action mirred
   * egress redirect dev Y}.
   *
   * @param priority 0 to let the kernel choose (it picks 49152 for the first filter)
   */
  public static MessageWriter addRedirect(int ifindex, int priority, int targetIndex) {
    MessageWriter w =
        new MessageWriter(NlConst.RTM_NEWTFILTER, NlConst.NLM_F_CREATE | NlConst.NLM_F_EXCL)
            .tcmsg(ifindex, 0, INGRESS_FILTER_PARENT, info(priority))
            .attrString(TCA_KIND, "u32");
    int options = w.begin(TCA_OPTIONS);
    int acts = w.begin(TCA_U32_ACT);
    int first = w.begin(1);
    w.attrString(TCA_ACT_KIND, "mirred");
    int actOptions = w.begin(TCA_ACT_OPTIONS | NLA_F_NESTED);
    int parms = w.begin(TCA_MIRRED_PARMS);
    // struct tc_mirred { tc_gen: index, capab, action, refcnt, bindcnt; eaction; ifindex; }
    w.u32(0).u32(0).u32(TC_ACT_STOLEN).u32(0).u32(0).u32(TCA_EGRESS_REDIR).u32(targetIndex);
    w.end(parms).end(actOptions).end(first).end(acts);
    int sel = w.begin(TCA_U32_SEL);
    // struct tc_u32_sel: flags, offshift, nkeys, pad; offmask, off, offoff, hoff; hmask; keys[1]
    w.u8(TC_U32_TERMINAL).u8(0).u8(1).u8(0).u16(0).u16(0).u16(0).u16(0).u32(0);
    w.u32(0).u32(0).u32(0).u32(0);
    return w.end(sel).end(options);
  }

  /**
   * {@code tc filter del dev X parent ffff: [pref P protocol all]}; priority 0 deletes every filter
   * under the ingress qdisc.
   */
  public static MessageWriter deleteFilters(int ifindex, int priority) {
    return new MessageWriter(NlConst.RTM_DELTFILTER, 0)
        .tcmsg(ifindex, 0, INGRESS_FILTER_PARENT, priority == 0 ? 0 : info(priority));
  }

  private static int info(int priority) {
    return (priority << 16) | htons(ETH_P_ALL);
  }

  /** A 16-bit value in network order, as the {@code tcm_info} protocol field holds it. */
  static int htons(int v) {
    return ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN
        ? v
        : Short.reverseBytes((short) v) & 0xffff;
  }

  public static MessageWriter dumpQdiscs() {
    return new MessageWriter(NlConst.RTM_GETQDISC, 0).tcmsg(0, 0, 0, 0);
  }

  public static MessageWriter dumpFilters(int ifindex, int parent) {
    return new MessageWriter(NlConst.RTM_GETTFILTER, 0).tcmsg(ifindex, 0, parent, 0);
  }

  public static Qdisc decodeQdisc(Message m) {
    String kind = m.attrs(TCMSG_LEN).string(TCA_KIND);
    return new Qdisc(m.i32(4), kind == null ? "" : kind, m.i32(8), m.i32(12));
  }

  public static TcFilter decodeFilter(Message m) {
    Attrs a = m.attrs(TCMSG_LEN);
    int info = m.i32(16);
    return new TcFilter(
        m.i32(4),
        m.i32(12),
        info >>> 16,
        htons(info & 0xffff),
        a.string(TCA_KIND) == null ? "" : a.string(TCA_KIND),
        m.i32(8),
        redirectTarget(a.nested(TCA_OPTIONS).nested(TCA_U32_ACT)));
  }

  private static int redirectTarget(Attrs actions) {
    for (ByteBuffer action : actions.asMap().values()) {
      Attrs act = Attrs.parse(action, 0);
      if (!"mirred".equals(act.string(TCA_ACT_KIND))) {
        continue;
      }
      byte[] parms = act.nested(TCA_ACT_OPTIONS).bytes(TCA_MIRRED_PARMS);
      if (parms != null && parms.length >= 28) {
        return ByteBuffer.wrap(parms).order(ByteOrder.nativeOrder()).getInt(24);
      }
    }
    return 0;
  }
}
