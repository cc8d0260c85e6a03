package org.vmm4j.network;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Golden netlink captures under {@code golden/netlink/} (made by {@code capture.sh} there): {@code
 * NAME.hex} holds one request as {@code ip}/{@code tc} sent it (seq and port id zeroed), {@code
 * NAME.reply.hex} the datagrams the kernel sent back.
 */
final class Golden {
  private Golden() {}

  /** The datagrams of {@code golden/netlink/FILE}. */
  public static List<byte[]> datagrams(String file) {
    String text;
    try (InputStream in = Golden.class.getResourceAsStream("/golden/netlink/" + file)) {
      if (in == null) {
        throw new IllegalArgumentException("no golden file " + file);
      }
      text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<byte[]> out = new ArrayList<>();
    StringBuilder hex = null;
    for (String line : text.split("\n")) {
      if (line.startsWith("# datagram")) {
        if (hex != null) {
          out.add(HexFormat.of().parseHex(hex));
        }
        hex = new StringBuilder();
      } else if (!line.startsWith("#") && hex != null) {
        hex.append(line.replace(" ", ""));
      }
    }
    if (hex != null) {
      out.add(HexFormat.of().parseHex(hex));
    }
    return out;
  }

  /**
   * The datagrams of a captured dump that carry messages of {@code type}, up to and including the
   * one with the {@code NLMSG_DONE} that ends them (a capture also holds the other requests the
   * command made).
   */
  public static List<byte[]> dump(String file, int type) {
    List<byte[]> out = new ArrayList<>();
    for (byte[] d : datagrams(file)) {
      List<Integer> types = Message.split(d).stream().map(Message::type).toList();
      if (types.contains(type)) {
        out.add(d);
      } else if (!out.isEmpty() && types.contains(NlConst.NLMSG_DONE)) {
        out.add(d);
        return out;
      }
      if (!out.isEmpty() && types.contains(NlConst.NLMSG_DONE)) {
        return out;
      }
    }
    throw new IllegalStateException(file + ": no complete dump of type " + type);
  }

  /** The single request of {@code golden/netlink/NAME.hex}. */
  public static byte[] request(String name) {
    List<byte[]> d = datagrams(name + ".hex");
    if (d.size() != 1) {
      throw new IllegalStateException(name + ".hex holds " + d.size() + " datagrams");
    }
    return d.get(0);
  }
}
