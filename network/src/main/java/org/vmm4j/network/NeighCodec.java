package org.vmm4j.network;

/** {@code RTM_*NEIGH} messages ({@code linux/neighbour.h}). */
final class NeighCodec {
  public static final int NDMSG_LEN = 12;
  public static final int NDA_DST = 1;
  public static final int NDA_LLADDR = 2;

  private NeighCodec() {}

  /** Every neighbour entry of every family. */
  public static MessageWriter dump() {
    return new MessageWriter(NlConst.RTM_GETNEIGH, 0)
        .u8(NlConst.AF_UNSPEC)
        .u8(0)
        .u16(0)
        .u32(0)
        .u16(0)
        .u8(0)
        .u8(0);
  }

  /** Decodes an {@code RTM_NEWNEIGH} ({@code ndmsg}: family, ifindex, state, flags, type). */
  public static Neighbor decode(Message m) {
    Attrs a = m.attrs(NDMSG_LEN);
    byte[] ll = a.bytes(NDA_LLADDR);
    return new Neighbor(
        m.i32(4),
        a.address(NDA_DST),
        ll != null && ll.length == 6 ? MacAddress.of(ll) : null,
        m.u16(8));
  }
}
