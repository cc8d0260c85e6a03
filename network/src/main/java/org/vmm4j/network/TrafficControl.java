package org.vmm4j.network;

import java.util.List;

/**
 * The traffic control Kata's tcfilter model needs: an ingress qdisc per side and a u32 match-all
 * filter that redirects every frame to the other side ({@code tc qdisc}, {@code tc filter}).
 */
public final class TrafficControl {
  private final RtnlSession session;

  TrafficControl(RtnlSession session) {
    this.session = session;
  }

  /**
   * {@code tc qdisc add dev X ingress}.
   *
   * @throws NetlinkException.Exists if the link already has an ingress qdisc
   */
  public void addIngressQdisc(int linkIndex) {
    session.call(TcCodec.addIngress(linkIndex), "ingress qdisc dev #" + linkIndex);
  }

  /** {@code tc qdisc del dev X ingress}: removes the qdisc and every filter under it. */
  public void deleteIngressQdisc(int linkIndex) {
    session.call(TcCodec.deleteIngress(linkIndex), "ingress qdisc dev #" + linkIndex);
  }

  /**
   * {@code tc filter add dev FROM parent ffff: pref PRIORITY protocol all u32 match u8 0 0 action
   * mirred egress redirect dev TO}: every frame arriving on {@code from} leaves through {@code to}.
   *
   * @param priority the filter's preference, 0 to let the kernel choose
   */
  public void addRedirect(int from, int priority, int to) {
    session.call(
        TcCodec.addRedirect(from, priority, to),
        "u32 mirred filter dev #" + from + " -> dev #" + to);
  }

  /** Deletes the ingress filters of {@code linkIndex} with {@code priority} (0: all of them). */
  public void deleteIngressFilters(int linkIndex, int priority) {
    session.call(
        TcCodec.deleteFilters(linkIndex, priority),
        "ingress filters dev #" + linkIndex + (priority == 0 ? "" : " pref " + priority));
  }

  /** Every qdisc in the namespace. */
  public List<Qdisc> qdiscs() {
    return session.dump(TcCodec.dumpQdiscs(), "qdiscs").stream()
        .filter(m -> m.type() == NlConst.RTM_NEWQDISC)
        .map(TcCodec::decodeQdisc)
        .toList();
  }

  /** The qdiscs of one link. */
  public List<Qdisc> qdiscs(int linkIndex) {
    return qdiscs().stream().filter(q -> q.linkIndex() == linkIndex).toList();
  }

  /** The filters under the ingress qdisc of {@code linkIndex} (the u32 hash table included). */
  public List<TcFilter> ingressFilters(int linkIndex) {
    return session
        .dump(
            TcCodec.dumpFilters(linkIndex, TcCodec.INGRESS_FILTER_PARENT),
            "ingress filters dev #" + linkIndex)
        .stream()
        .filter(m -> m.type() == NlConst.RTM_NEWTFILTER)
        .map(TcCodec::decodeFilter)
        .toList();
  }
}
