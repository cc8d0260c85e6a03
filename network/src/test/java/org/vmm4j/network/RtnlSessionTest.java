package org.vmm4j.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The request/ack/dump protocol: flags, sequence numbers, errors, ext-acks, deadlines, retries. */
class RtnlSessionTest {
  private final FakeNetlinkSocket fake = new FakeNetlinkSocket();
  private final RtnlSession session = new RtnlSession(fake, Duration.ofSeconds(1));

  @Test
  void changesAskForAnAckAndSequenceNumbersAdvance() {
    session.call(TcCodec.addIngress(3), "x");
    session.call(TcCodec.addIngress(4), "y");
    List<FakeNetlinkSocket.Sent> sent = fake.sent();
    assertThat(sent)
        .extracting(FakeNetlinkSocket.Sent::flags)
        .containsOnly(
            NlConst.NLM_F_REQUEST | NlConst.NLM_F_ACK | NlConst.NLM_F_CREATE | NlConst.NLM_F_EXCL);
    assertThat(sent.get(1).seq()).isEqualTo(sent.get(0).seq() + 1);
  }

  @Test
  void anErrorCarriesTheKernelsExtendedAckText() {
    // NLMSG_ERROR as include/uapi/linux/netlink.h lays it out with NETLINK_CAP_ACK and
    // NETLINK_EXT_ACK: error, the request's header only (NLM_F_CAPPED), then NLMSGERR_ATTR_MSG.
    fake.respond(
        NlConst.RTM_NEWQDISC,
        req ->
            List.of(FakeNetlinkSocket.error(req.seq(), 17, "Exclusivity flag on, cannot modify")));
    assertThatThrownBy(() -> session.call(TcCodec.addIngress(3), "ingress qdisc dev #3"))
        .isInstanceOf(NetlinkException.Exists.class)
        .hasMessage(
            "RTM_NEWQDISC ingress qdisc dev #3: File exists (EEXIST): "
                + "Exclusivity flag on, cannot modify");
  }

  @Test
  void repliesToOtherSequenceNumbersAreDropped() {
    // A late answer to an earlier request that timed out arrives first.
    fake.inject(FakeNetlinkSocket.error(12345, 16, null));
    session.call(LinkCodec.setUp(3, true), "link #3 up");
    assertThat(fake.sentTypes()).containsExactly("RTM_NEWLINK");
  }

  @Test
  void noReplyMeansATimeoutNamingTheRequest() {
    fake.silence(NlConst.RTM_DELLINK);
    assertThatThrownBy(() -> session.call(LinkCodec.delete(5), "link #5"))
        .isInstanceOf(NetlinkException.Timeout.class)
        .hasMessage(
            "RTM_DELLINK link #5: no reply from the kernel within 1000 ms "
                + "(fake netlink socket)");
  }

  @Test
  void aDumpCollectsEveryPartUntilDone() {
    List<byte[]> dump = Golden.dump("link-dump.reply.hex", NlConst.RTM_NEWLINK);
    fake.replay(NlConst.RTM_GETLINK, dump);
    List<Message> parts = session.dump(LinkCodec.dump(), "links");
    assertThat(parts).hasSize(5).allMatch(m -> m.type() == NlConst.RTM_NEWLINK);
    assertThat(fake.sent().get(0).flags()).isEqualTo(NlConst.NLM_F_REQUEST | NlConst.NLM_F_DUMP);
  }

  @Test
  void anInterruptedDumpIsRetried() {
    AtomicInteger calls = new AtomicInteger();
    List<byte[]> dump = Golden.dump("link-dump.reply.hex", NlConst.RTM_NEWLINK);
    fake.respond(
        NlConst.RTM_GETLINK,
        req -> {
          List<byte[]> parts =
              dump.stream().map(d -> FakeNetlinkSocket.withSeq(d, req.seq())).toList();
          if (calls.incrementAndGet() < 3) {
            setFlag(parts.get(0), NlConst.NLM_F_DUMP_INTR);
          }
          return parts;
        });
    assertThat(session.dump(LinkCodec.dump(), "links")).hasSize(5);
    assertThat(calls).hasValue(3);
  }

  @Test
  void aDumpInterruptedEveryTimeFails() {
    fake.respond(
        NlConst.RTM_GETLINK,
        req -> {
          byte[] done = FakeNetlinkSocket.done(req.seq());
          setFlag(done, NlConst.NLM_F_DUMP_INTR);
          return List.of(done);
        });
    assertThatThrownBy(() -> session.dump(LinkCodec.dump(), "links"))
        .hasMessage("RTM_GETLINK links: dump interrupted by concurrent changes 5 times");
  }

  @Test
  void aDumpThatEndsInAnErrorFails() {
    fake.respond(
        NlConst.RTM_GETADDR,
        req -> {
          byte[] done = FakeNetlinkSocket.done(req.seq());
          ByteBuffer.wrap(done).order(ByteOrder.nativeOrder()).putInt(16, -1);
          return List.of(done);
        });
    assertThatThrownBy(() -> session.dump(AddrCodec.dump(), "addresses"))
        .isInstanceOf(NetlinkException.PermissionDenied.class)
        .hasMessage("RTM_GETADDR addresses: Operation not permitted (EPERM)");
  }

  private static void setFlag(byte[] datagram, int flag) {
    ByteBuffer b = ByteBuffer.wrap(datagram).order(ByteOrder.nativeOrder());
    b.putShort(6, (short) (b.getShort(6) | flag));
  }
}
