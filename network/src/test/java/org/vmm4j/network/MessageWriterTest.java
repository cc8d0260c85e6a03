package org.vmm4j.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Attribute layout rules (include/uapi/linux/netlink.h): 4-byte alignment, nesting, lengths. */
class MessageWriterTest {

  @Test
  void attributesArePaddedAndNestsMeasured() {
    MessageWriter w = new MessageWriter(NlConst.RTM_NEWLINK, 0).ifinfomsg(0, 0, 0, 0, 0);
    int nest = w.begin(18);
    w.attrU8(1, 7).attrString(2, "ab");
    w.end(nest);
    byte[] b = w.finish(9, 0);
    String hex = HexFormat.of().formatHex(b, 32, b.length);
    // nest 18 of 4+8+8: u8 attr (len 5, padded to 8), string "ab\0" (len 7, padded to 8).
    assertThat(hex).isEqualTo("14001200" + "0500010007000000" + "0700020061620000");
    assertThat(b.length).isEqualTo(52);
    Message m = Message.split(b).get(0);
    assertThat(m.seq()).isEqualTo(9);
    Attrs nested = m.attrs(16).nested(18);
    assertThat(nested.u8(1, -1)).isEqualTo(7);
    assertThat(nested.string(2)).isEqualTo("ab");
    assertThat(nested.has(3)).isFalse();
  }

  @Test
  void splitsDatagramsOfSeveralMessagesAndRejectsBadLengths() {
    byte[] one = new MessageWriter(NlConst.NLMSG_NOOP, 0).finish(1, 0);
    byte[] two = new MessageWriter(NlConst.NLMSG_NOOP, 0).u32(5).finish(2, 0);
    byte[] both = new byte[one.length + two.length];
    System.arraycopy(one, 0, both, 0, one.length);
    System.arraycopy(two, 0, both, one.length, two.length);
    List<Message> msgs = Message.split(both);
    assertThat(msgs).extracting(Message::seq).containsExactly(1, 2);
    both[one.length] = 99;
    assertThatThrownBy(() -> Message.split(both))
        .isInstanceOf(NetlinkException.class)
        .hasMessageContaining("bad nlmsg_len 99");
  }
}
