package org.vmm4j.network;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Plays a guest NIC on tap queue descriptors: reads frames (after the 10-byte virtio-net header
 * every Kata tap and every macvtap carries), recognises ARP requests and UDP datagrams, writes ARP
 * replies.
 */
final class Frames {
  public static final int VNET_HDR = 10;
  private static final int ETH = 14;

  private Frames() {}

  /** Reads frames from all queues until one matches or {@code timeout} passes. */
  public static Optional<byte[]> await(
      List<OwnedFd> queues, Predicate<byte[]> match, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] buf = new byte[65536];
    while (System.nanoTime() < deadline) {
      for (OwnedFd q : queues) {
        try {
          int n = Fds.read(q, buf, Duration.ofMillis(50));
          byte[] frame = Arrays.copyOfRange(buf, VNET_HDR, n);
          if (match.test(frame)) {
            return Optional.of(frame);
          }
        } catch (NetlinkException.Timeout e) {
          // nothing on this queue yet
        }
      }
    }
    return Optional.empty();
  }

  private static int etherType(byte[] f) {
    return f.length < ETH ? -1 : ((f[12] & 0xff) << 8) | (f[13] & 0xff);
  }

  /** An ARP request asking for {@code ip}. */
  public static Predicate<byte[]> arpRequestFor(InetAddress ip) {
    return f ->
        etherType(f) == 0x0806
            && f.length >= ETH + 28
            && f[ETH + 7] == 1
            && Arrays.equals(Arrays.copyOfRange(f, ETH + 24, ETH + 28), ip.getAddress());
  }

  /** A UDP datagram (IPv4) whose payload contains {@code marker}. */
  public static Predicate<byte[]> udpContaining(String marker) {
    byte[] m = marker.getBytes(StandardCharsets.US_ASCII);
    return f ->
        etherType(f) == 0x0800 && f.length > ETH + 28 && f[ETH + 9] == 17 && indexOf(f, m) >= 0;
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** The ARP reply ("{@code ip} is at {@code mac}") to {@code request}, vnet header included. */
  public static byte[] arpReply(byte[] request, MacAddress mac, InetAddress ip) {
    byte[] senderMac = Arrays.copyOfRange(request, ETH + 8, ETH + 14);
    byte[] senderIp = Arrays.copyOfRange(request, ETH + 14, ETH + 18);
    ByteBuffer b = ByteBuffer.allocate(VNET_HDR + ETH + 28);
    b.position(VNET_HDR);
    b.put(senderMac).put(mac.bytes()).putShort((short) 0x0806);
    b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 2);
    b.put(mac.bytes()).put(ip.getAddress()).put(senderMac).put(senderIp);
    return b.array();
  }
}
