package org.vmm4j.network;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds one netlink message: the 16-byte {@code nlmsghdr}, a fixed family header ({@code
 * ifinfomsg}, {@code ifaddrmsg}, {@code rtmsg}, {@code tcmsg}), then {@code rtattr}s, possibly
 * nested, each padded to 4 bytes. Integers are in host order except where netlink says otherwise
 * (the caller passes those already swapped). The sequence number and port id are filled by {@link
 * #finish}.
 */
final class MessageWriter {
  private static final ByteOrder ORDER = ByteOrder.nativeOrder();

  private final int type;
  private byte[] buf = new byte[256];
  private int pos;

  /** Starts a message of {@code type} with {@code flags} ({@code NLM_F_REQUEST} is not implied). */
  public MessageWriter(int type, int flags) {
    this.type = type;
    ensure(NlConst.NLMSG_HDRLEN);
    ByteBuffer.wrap(buf).order(ORDER).putShort(4, (short) type).putShort(6, (short) flags);
    pos = NlConst.NLMSG_HDRLEN;
  }

  /** The message type (e.g. {@code RTM_NEWLINK}). */
  public int type() {
    return type;
  }

  /** The flags currently in the header. */
  public int flags() {
    return ByteBuffer.wrap(buf).order(ORDER).getShort(6) & 0xffff;
  }

  /** Replaces the header flags. */
  public MessageWriter flags(int flags) {
    ByteBuffer.wrap(buf).order(ORDER).putShort(6, (short) flags);
    return this;
  }

  /** {@code struct ifinfomsg} (16 bytes). */
  public MessageWriter ifinfomsg(int family, int arpType, int index, int flags, int change) {
    return u8(family).u8(0).u16(arpType).u32(index).u32(flags).u32(change);
  }

  /** {@code struct ifaddrmsg} (8 bytes). */
  public MessageWriter ifaddrmsg(int family, int prefixLen, int flags, int scope, int index) {
    return u8(family).u8(prefixLen).u8(flags).u8(scope).u32(index);
  }

  /** {@code struct rtmsg} (12 bytes). */
  public MessageWriter rtmsg(
      int family, int dstLen, int table, int protocol, int scope, int routeType) {
    return u8(family).u8(dstLen).u8(0).u8(0).u8(table).u8(protocol).u8(scope).u8(routeType).u32(0);
  }

  /** {@code struct tcmsg} (20 bytes). */
  public MessageWriter tcmsg(int ifindex, int handle, int parent, int info) {
    return u8(NlConst.AF_UNSPEC).u8(0).u16(0).u32(ifindex).u32(handle).u32(parent).u32(info);
  }

  /** Raw bytes in the fixed header area (or inside an attribute being built). */
  public MessageWriter bytes(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buf, pos, b.length);
    pos += b.length;
    return this;
  }

  public MessageWriter u8(int v) {
    ensure(1);
    buf[pos++] = (byte) v;
    return this;
  }

  public MessageWriter u16(int v) {
    ensure(2);
    ByteBuffer.wrap(buf).order(ORDER).putShort(pos, (short) v);
    pos += 2;
    return this;
  }

  public MessageWriter u32(int v) {
    ensure(4);
    ByteBuffer.wrap(buf).order(ORDER).putInt(pos, v);
    pos += 4;
    return this;
  }

  /** An attribute with a raw value. */
  public MessageWriter attr(int attrType, byte[] value) {
    int start = begin(attrType);
    bytes(value);
    return end(start);
  }

  public MessageWriter attrU8(int attrType, int v) {
    return attr(attrType, new byte[] {(byte) v});
  }

  public MessageWriter attrU16(int attrType, int v) {
    int start = begin(attrType);
    u16(v);
    return end(start);
  }

  public MessageWriter attrU32(int attrType, int v) {
    int start = begin(attrType);
    u32(v);
    return end(start);
  }

  /** A NUL-terminated string attribute. */
  public MessageWriter attrString(int attrType, String v) {
    byte[] s = v.getBytes(StandardCharsets.UTF_8);
    return attr(attrType, Arrays.copyOf(s, s.length + 1));
  }

  /** A string attribute without the terminating NUL (iproute2 sends {@code IFLA_INFO_KIND} so). */
  public MessageWriter attrBareString(int attrType, String v) {
    return attr(attrType, v.getBytes(StandardCharsets.UTF_8));
  }

  /** An attribute with no value (a flag, or an empty nest). */
  public MessageWriter attrEmpty(int attrType) {
    return end(begin(attrType));
  }

  /**
   * Opens an attribute whose value is written by following calls (a nest, or a struct followed by
   * attributes, as in {@code VETH_INFO_PEER}); close it with {@link #end}.
   *
   * @return the position to pass to {@link #end}
   */
  public int begin(int attrType) {
    align();
    int start = pos;
    ensure(4);
    ByteBuffer.wrap(buf).order(ORDER).putShort(start + 2, (short) attrType);
    pos += 4;
    return start;
  }

  /** Closes the attribute opened at {@code start}: writes its length and pads to 4 bytes. */
  public MessageWriter end(int start) {
    ByteBuffer.wrap(buf).order(ORDER).putShort(start, (short) (pos - start));
    align();
    return this;
  }

  /** The finished message with {@code seq} and {@code portId} in its header. */
  public byte[] finish(int seq, int portId) {
    align();
    byte[] out = Arrays.copyOf(buf, pos);
    ByteBuffer.wrap(out).order(ORDER).putInt(0, pos).putInt(8, seq).putInt(12, portId);
    return out;
  }

  private void align() {
    int padded = (pos + 3) & ~3;
    ensure(padded - pos);
    pos = padded;
  }

  private void ensure(int more) {
    if (pos + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
    }
  }
}
