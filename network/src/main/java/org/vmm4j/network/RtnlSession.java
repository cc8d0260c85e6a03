package org.vmm4j.network;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request/reply over a {@link NetlinkTransport}: sequence numbers, acks and errors, multi-part
 * dumps. Every request asks for an ack ({@code NLM_F_ACK}), so each exchange ends with an {@code
 * NLMSG_ERROR} (0 = success) or, for dumps, {@code NLMSG_DONE}; every wait has a deadline. Replies
 * with another sequence number (late answers to a request that timed out) are dropped. Thread-safe:
 * one exchange at a time.
 */
final class RtnlSession implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RtnlSession.class);

  /** How often a dump interrupted by a concurrent change ({@code NLM_F_DUMP_INTR}) is retried. */
  static final int DUMP_RETRIES = 5;

  private final NetlinkTransport transport;
  private final Duration timeout;
  private int seq;
  private boolean doneInterrupted;

  /**
   * @param timeout the deadline of each exchange (from sending to the final ack)
   */
  public RtnlSession(NetlinkTransport transport, Duration timeout) {
    this.transport = transport;
    this.timeout = timeout;
    this.seq = (int) (System.nanoTime() & 0x3fffffff);
  }

  public NetlinkTransport transport() {
    return transport;
  }

  public Duration timeout() {
    return timeout;
  }

  /**
   * Sends a request and waits for its ack.
   *
   * @param object what the request is about, for error messages ({@code "veth tbveth0"})
   * @return the replies that came before the ack (for a GET, the object)
   */
  public synchronized List<Message> call(MessageWriter request, String object) {
    request.flags(request.flags() | NlConst.NLM_F_REQUEST | NlConst.NLM_F_ACK);
    return exchange(request, object);
  }

  /** Sends a dump request and collects every part up to {@code NLMSG_DONE}. */
  public synchronized List<Message> dump(MessageWriter request, String object) {
    request.flags(request.flags() | NlConst.NLM_F_REQUEST | NlConst.NLM_F_DUMP);
    for (int attempt = 1; ; attempt++) {
      List<Message> parts = exchange(request, object);
      boolean interrupted =
          doneInterrupted
              || parts.stream().anyMatch(m -> (m.flags() & NlConst.NLM_F_DUMP_INTR) != 0);
      if (!interrupted) {
        return parts;
      }
      if (attempt == DUMP_RETRIES) {
        throw new NetlinkException(
            NlConst.typeName(request.type()),
            object,
            "dump interrupted by concurrent changes " + DUMP_RETRIES + " times",
            0);
      }
      LOG.debug("{} {}: dump interrupted, retrying", NlConst.typeName(request.type()), object);
    }
  }

  private List<Message> exchange(MessageWriter request, String object) {
    int mySeq = ++seq;
    doneInterrupted = false;
    String op = NlConst.typeName(request.type());
    transport.send(request.finish(mySeq, 0));
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Message> replies = new ArrayList<>();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw timeout(op, object);
      }
      byte[] datagram;
      try {
        datagram = transport.receive(Duration.ofNanos(left));
      } catch (NetlinkException.Timeout e) {
        throw timeout(op, object);
      }
      for (Message m : Message.split(datagram)) {
        if (m.seq() != mySeq) {
          LOG.debug(
              "{} {}: dropping a reply to seq {} (waiting for {})", op, object, m.seq(), mySeq);
          continue;
        }
        if (m.type() == NlConst.NLMSG_ERROR) {
          checkError(m, op, object);
          return replies;
        }
        if (m.type() == NlConst.NLMSG_DONE) {
          doneInterrupted = (m.flags() & NlConst.NLM_F_DUMP_INTR) != 0;
          checkDone(m, op, object);
          return replies;
        }
        if (m.type() != NlConst.NLMSG_NOOP) {
          replies.add(m);
        }
      }
    }
  }

  private NetlinkException.Timeout timeout(String op, String object) {
    return new NetlinkException.Timeout(
        op,
        object,
        "no reply from the kernel within "
            + timeout.toMillis()
            + " ms ("
            + transport.description()
            + ")");
  }

  /**
   * An NLMSG_ERROR payload: int error, the echoed request header (and body unless capped), TLVs.
   */
  static void checkError(Message m, String op, String object) {
    int error = m.i32(0);
    if (error == 0) {
      return;
    }
    throw Errno.exception(-error, op, object, extAck(m));
  }

  private static void checkDone(Message m, String op, String object) {
    if (m.payload().remaining() >= 4 && m.i32(0) < 0) {
      throw Errno.exception(-m.i32(0), op, object, null);
    }
  }

  /** The kernel's extended-ack text ({@code NLMSGERR_ATTR_MSG}), or null. */
  static String extAck(Message m) {
    if ((m.flags() & NlConst.NLM_F_ACK_TLVS) == 0 || m.payload().remaining() < 20) {
      return null;
    }
    int echoed = NlConst.NLMSG_HDRLEN;
    if ((m.flags() & NlConst.NLM_F_CAPPED) == 0) {
      echoed = Math.max(NlConst.NLMSG_HDRLEN, m.i32(4));
    }
    int tlvStart = 4 + ((echoed + 3) & ~3);
    if (tlvStart > m.payload().limit()) {
      return null;
    }
    return Attrs.parse(m.payload(), tlvStart).string(NlConst.NLMSGERR_ATTR_MSG);
  }

  @Override
  public void close() {
    transport.close();
  }
}
