package org.vmm4j.network;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One received netlink message: header fields and the payload after the 16-byte header (a
 * read-only, host-order view).
 *
 * @param type {@code nlmsg_type}
 * @param flags {@code nlmsg_flags}
 * @param seq {@code nlmsg_seq}
 * @param portId {@code nlmsg_pid}
 * @param payload the bytes after the header, position 0
 */
record Message(int type, int flags, int seq, int portId, ByteBuffer payload) {

  /**
   * Splits a datagram into its messages.
   *
   * @throws NetlinkException if a length field is inconsistent
   */
  public static List<Message> split(byte[] datagram) {
    ByteBuffer b = ByteBuffer.wrap(datagram).order(ByteOrder.nativeOrder());
    List<Message> out = new ArrayList<>();
    int off = 0;
    while (off + NlConst.NLMSG_HDRLEN <= datagram.length) {
      int len = b.getInt(off);
      if (len < NlConst.NLMSG_HDRLEN || off + len > datagram.length) {
        throw new NetlinkException(
            "parse", "netlink datagram", "bad nlmsg_len " + len + " at offset " + off, 0);
      }
      ByteBuffer payload =
          b.slice(off + NlConst.NLMSG_HDRLEN, len - NlConst.NLMSG_HDRLEN)
              .order(ByteOrder.nativeOrder())
              .asReadOnlyBuffer()
              .order(ByteOrder.nativeOrder());
      out.add(
          new Message(
              b.getShort(off + 4) & 0xffff,
              b.getShort(off + 6) & 0xffff,
              b.getInt(off + 8),
              b.getInt(off + 12),
              payload));
      off += (len + 3) & ~3;
    }
    return out;
  }

  /** The attributes that follow a fixed header of {@code headerLen} bytes in the payload. */
  public Attrs attrs(int headerLen) {
    return Attrs.parse(payload, headerLen);
  }

  public int u8(int offset) {
    return payload.get(offset) & 0xff;
  }

  public int u16(int offset) {
    return payload.getShort(offset) & 0xffff;
  }

  public int i32(int offset) {
    return payload.getInt(offset);
  }
}
