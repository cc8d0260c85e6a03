package org.vmm4j.network;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The attributes of a message or a nest, by type (the last one wins when a type repeats; the nested
 * and byte-order flag bits are masked off the type). Values are read-only host-order views.
 */
final class Attrs {
  private static final int TYPE_MASK = 0x3fff;

  private final Map<Integer, ByteBuffer> byType;

  private Attrs(Map<Integer, ByteBuffer> byType) {
    this.byType = byType;
  }

  /** Parses the attributes in {@code buf} from {@code offset} to its limit. */
  public static Attrs parse(ByteBuffer buf, int offset) {
    Map<Integer, ByteBuffer> map = new LinkedHashMap<>();
    int off = offset;
    int limit = buf.limit();
    while (off + 4 <= limit) {
      int len = buf.getShort(off) & 0xffff;
      int type = buf.getShort(off + 2) & TYPE_MASK;
      if (len < 4 || off + len > limit) {
        throw new NetlinkException("parse", "rtattr", "bad length " + len + " at " + off, 0);
      }
      map.put(type, buf.slice(off + 4, len - 4).order(ByteOrder.nativeOrder()));
      off += (len + 3) & ~3;
    }
    return new Attrs(map);
  }

  /** The attributes in order of appearance, by type. */
  public Map<Integer, ByteBuffer> asMap() {
    return java.util.Collections.unmodifiableMap(byType);
  }

  public boolean has(int type) {
    return byType.containsKey(type);
  }

  public Optional<ByteBuffer> get(int type) {
    return Optional.ofNullable(byType.get(type)).map(ByteBuffer::duplicate);
  }

  public byte[] bytes(int type) {
    ByteBuffer v = byType.get(type);
    if (v == null) {
      return null;
    }
    byte[] out = new byte[v.remaining()];
    v.duplicate().get(out);
    return out;
  }

  public int u8(int type, int dflt) {
    ByteBuffer v = byType.get(type);
    return v == null || v.remaining() < 1 ? dflt : v.get(0) & 0xff;
  }

  public int u16(int type, int dflt) {
    ByteBuffer v = byType.get(type);
    return v == null || v.remaining() < 2 ? dflt : v.getShort(0) & 0xffff;
  }

  public int u32(int type, int dflt) {
    ByteBuffer v = byType.get(type);
    return v == null || v.remaining() < 4 ? dflt : v.getInt(0);
  }

  /** A NUL-terminated (or unterminated) string attribute, or null. */
  public String string(int type) {
    byte[] b = bytes(type);
    if (b == null) {
      return null;
    }
    int n = 0;
    while (n < b.length && b[n] != 0) {
      n++;
    }
    return new String(b, 0, n, StandardCharsets.UTF_8);
  }

  /** An IPv4 or IPv6 address attribute, or null. */
  public InetAddress address(int type) {
    byte[] b = bytes(type);
    if (b == null || (b.length != 4 && b.length != 16)) {
      return null;
    }
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** The attributes nested in {@code type} (empty when absent). */
  public Attrs nested(int type) {
    ByteBuffer v = byType.get(type);
    return v == null ? new Attrs(Map.of()) : parse(v, 0);
  }
}
