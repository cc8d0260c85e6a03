package org.vmm4j.network;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A netlink "kernel" for tests: records every message sent and answers from a script. By default it
 * acks every request (error 0) and ends every dump at once ({@code NLMSG_DONE}); {@link #respond}
 * scripts the answer to a message type (captured datagrams replay with their sequence number
 * patched to the request's), {@link #failNext} makes the next request of a type fail with an errno,
 * {@link #silence} makes a type go unanswered (the caller's deadline then fires; this fake never
 * sleeps). Not thread-safe, like the transports it stands in for.
 */
final class FakeNetlinkSocket implements NetlinkTransport {
  /** The kernel's port id for our socket in replies. */
  public static final int PORT_ID = 4242;

  /** A message that was sent: header fields and the whole message. */
  public record Sent(int type, int flags, int seq, byte[] bytes) {
    public String typeName() {
      return NlConst.typeName(type);
    }
  }

  /** Computes the reply datagrams for a request. */
  @FunctionalInterface
  public interface Responder {
    List<byte[]> respond(Sent request);
  }

  private final List<Sent> sent = new ArrayList<>();
  private final Deque<byte[]> pending = new ArrayDeque<>();
  private final Map<Integer, Responder> responders = new HashMap<>();
  private final Map<Integer, Deque<int[]>> failures = new HashMap<>();
  private final Map<Integer, Boolean> silent = new HashMap<>();
  private boolean closed;

  /** A {@link Netlink} over a new fake (1 s deadline). */
  public static Netlink netlink(FakeNetlinkSocket fake) {
    return Netlink.over(fake, Duration.ofSeconds(1));
  }

  /** Answers requests of {@code type} with {@code responder}'s datagrams. */
  public FakeNetlinkSocket respond(int type, Responder responder) {
    responders.put(type, responder);
    return this;
  }

  /** Answers requests of {@code type} with captured datagrams, their seq set to the request's. */
  public FakeNetlinkSocket replay(int type, List<byte[]> datagrams) {
    return respond(type, req -> datagrams.stream().map(d -> withSeq(d, req.seq())).toList());
  }

  /** The next request of {@code type} fails with {@code errno} (queued: call again for more). */
  public FakeNetlinkSocket failNext(int type, int errno) {
    failures.computeIfAbsent(type, t -> new ArrayDeque<>()).add(new int[] {errno});
    return this;
  }

  /** Requests of {@code type} get no answer at all. */
  public FakeNetlinkSocket silence(int type) {
    silent.put(type, true);
    return this;
  }

  /** Queues a datagram as if the kernel had sent it unprompted (e.g. a late reply). */
  public FakeNetlinkSocket inject(byte[] datagram) {
    pending.add(datagram);
    return this;
  }

  public List<Sent> sent() {
    return List.copyOf(sent);
  }

  /** The names of the message types sent, in order ({@code RTM_NEWLINK}, ...). */
  public List<String> sentTypes() {
    return sent.stream().map(Sent::typeName).toList();
  }

  public boolean isClosed() {
    return closed;
  }

  @Override
  public void send(byte[] datagram) {
    ByteBuffer b = ByteBuffer.wrap(datagram).order(ByteOrder.nativeOrder());
    Sent s =
        new Sent(b.getShort(4) & 0xffff, b.getShort(6) & 0xffff, b.getInt(8), datagram.clone());
    sent.add(s);
    if (silent.getOrDefault(s.type(), false)) {
      return;
    }
    Deque<int[]> f = failures.get(s.type());
    if (f != null && !f.isEmpty()) {
      pending.add(error(s.seq(), f.poll()[0], null));
    } else if (responders.containsKey(s.type())) {
      pending.addAll(responders.get(s.type()).respond(s));
    } else if ((s.flags() & NlConst.NLM_F_DUMP) == NlConst.NLM_F_DUMP) {
      pending.add(done(s.seq()));
    } else {
      pending.add(error(s.seq(), 0, null));
    }
  }

  @Override
  public byte[] receive(Duration timeout) {
    if (pending.isEmpty()) {
      throw new NetlinkException.Timeout("receive", description(), "no scripted reply");
    }
    return pending.poll();
  }

  @Override
  public int portId() {
    return PORT_ID;
  }

  @Override
  public String description() {
    return "fake netlink socket";
  }

  @Override
  public void close() {
    closed = true;
  }

  /** An {@code NLMSG_ERROR}: an ack ({@code errno} 0) or an error, with an ext-ack text or not. */
  public static byte[] error(int seq, int errno, String extAck) {
    byte[] text = extAck == null ? new byte[0] : (extAck + "\0").getBytes(StandardCharsets.UTF_8);
    int tlv = extAck == null ? 0 : (4 + text.length + 3) & ~3;
    int len = 16 + 4 + 16 + tlv;
    ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
    int flags =
        extAck == null ? NlConst.NLM_F_CAPPED : NlConst.NLM_F_CAPPED | NlConst.NLM_F_ACK_TLVS;
    b.putInt(len).putShort((short) NlConst.NLMSG_ERROR).putShort((short) flags).putInt(seq);
    b.putInt(PORT_ID).putInt(-errno);
    b.putInt(16).putShort((short) 0).putShort((short) 0).putInt(seq).putInt(0);
    if (extAck != null) {
      b.putShort((short) (4 + text.length)).putShort((short) NlConst.NLMSGERR_ATTR_MSG).put(text);
    }
    return b.array();
  }

  /** An {@code NLMSG_DONE} ending a dump. */
  public static byte[] done(int seq) {
    ByteBuffer b = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder());
    b.putInt(20).putShort((short) NlConst.NLMSG_DONE).putShort((short) NlConst.NLM_F_MULTI);
    return b.putInt(seq).putInt(PORT_ID).putInt(0).array();
  }

  /** A copy of {@code datagram} with every message's seq set to {@code seq}. */
  public static byte[] withSeq(byte[] datagram, int seq) {
    byte[] out = datagram.clone();
    ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.nativeOrder());
    for (int off = 0; off + 16 <= out.length; ) {
      int len = b.getInt(off);
      b.putInt(off + 8, seq);
      off += Math.max(16, (len + 3) & ~3);
    }
    return out;
  }
}
