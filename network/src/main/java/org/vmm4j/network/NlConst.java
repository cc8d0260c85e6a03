package org.vmm4j.network;

/**
 * Netlink header constants ({@code linux/netlink.h}) and rtnetlink message types ({@code
 * linux/rtnetlink.h}).
 */
final class NlConst {
  private NlConst() {}

  public static final int NLMSG_HDRLEN = 16;

  public static final int NLMSG_NOOP = 1;
  public static final int NLMSG_ERROR = 2;
  public static final int NLMSG_DONE = 3;
  public static final int NLMSG_OVERRUN = 4;

  public static final int NLM_F_REQUEST = 0x01;
  public static final int NLM_F_MULTI = 0x02;
  public static final int NLM_F_ACK = 0x04;
  public static final int NLM_F_DUMP_INTR = 0x10;
  public static final int NLM_F_ROOT = 0x100;
  public static final int NLM_F_MATCH = 0x200;
  public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
  public static final int NLM_F_REPLACE = 0x100;
  public static final int NLM_F_EXCL = 0x200;
  public static final int NLM_F_CREATE = 0x400;

  /** Flags of an NLMSG_ERROR reply: the request was not echoed; TLVs follow. */
  public static final int NLM_F_CAPPED = 0x100;

  public static final int NLM_F_ACK_TLVS = 0x200;

  public static final int NLMSGERR_ATTR_MSG = 1;

  public static final int RTM_NEWLINK = 16;
  public static final int RTM_DELLINK = 17;
  public static final int RTM_GETLINK = 18;
  public static final int RTM_SETLINK = 19;
  public static final int RTM_NEWADDR = 20;
  public static final int RTM_DELADDR = 21;
  public static final int RTM_GETADDR = 22;
  public static final int RTM_NEWROUTE = 24;
  public static final int RTM_DELROUTE = 25;
  public static final int RTM_GETROUTE = 26;
  public static final int RTM_NEWNEIGH = 28;
  public static final int RTM_DELNEIGH = 29;
  public static final int RTM_GETNEIGH = 30;
  public static final int RTM_NEWQDISC = 36;
  public static final int RTM_DELQDISC = 37;
  public static final int RTM_GETQDISC = 38;
  public static final int RTM_NEWTFILTER = 44;
  public static final int RTM_DELTFILTER = 45;
  public static final int RTM_GETTFILTER = 46;

  public static final int AF_UNSPEC = 0;
  public static final int AF_INET = 2;
  public static final int AF_BRIDGE = 7;
  public static final int AF_INET6 = 10;

  /** The name of a message type for error messages: {@code RTM_NEWLINK}, or {@code type 99}. */
  public static String typeName(int type) {
    return switch (type) {
      case NLMSG_NOOP -> "NLMSG_NOOP";
      case NLMSG_ERROR -> "NLMSG_ERROR";
      case NLMSG_DONE -> "NLMSG_DONE";
      case RTM_NEWLINK -> "RTM_NEWLINK";
      case RTM_DELLINK -> "RTM_DELLINK";
      case RTM_GETLINK -> "RTM_GETLINK";
      case RTM_SETLINK -> "RTM_SETLINK";
      case RTM_NEWADDR -> "RTM_NEWADDR";
      case RTM_DELADDR -> "RTM_DELADDR";
      case RTM_GETADDR -> "RTM_GETADDR";
      case RTM_NEWROUTE -> "RTM_NEWROUTE";
      case RTM_DELROUTE -> "RTM_DELROUTE";
      case RTM_GETROUTE -> "RTM_GETROUTE";
      case RTM_NEWNEIGH -> "RTM_NEWNEIGH";
      case RTM_DELNEIGH -> "RTM_DELNEIGH";
      case RTM_GETNEIGH -> "RTM_GETNEIGH";
      case RTM_NEWQDISC -> "RTM_NEWQDISC";
      case RTM_DELQDISC -> "RTM_DELQDISC";
      case RTM_GETQDISC -> "RTM_GETQDISC";
      case RTM_NEWTFILTER -> "RTM_NEWTFILTER";
      case RTM_DELTFILTER -> "RTM_DELTFILTER";
      case RTM_GETTFILTER -> "RTM_GETTFILTER";
      default -> "type " + type;
    };
  }
}
