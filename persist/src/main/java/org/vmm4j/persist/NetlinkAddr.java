package org.vmm4j.persist;

import java.util.Objects;
import org.vmm4j.persist.codec.GoField;
import org.vmm4j.persist.codec.GoType;

/**
 * netlink {@code Addr}: an interface address; the embedded {@code *net.IPNet} appears inline as
 * {@code IP} and {@code Mask} (absent when null).
 *
 * <p>Go type: {@code netlink.Addr}. Built from Go zero values with {@link #builder()}.
 */
public record NetlinkAddr(
    @GoField(value = "IPNet", pointer = true, embedded = true) IpNet ipNet,
    @GoField("Label") String label,
    @GoField(value = "Flags", type = GoType.INT) long flags,
    @GoField(value = "Scope", type = GoType.INT) long scope,
    @GoField(value = "Peer", pointer = true) IpNet peer,
    @GoField("Broadcast") NetIp broadcast,
    @GoField(value = "PreferedLft", type = GoType.INT) long preferedLft,
    @GoField(value = "ValidLft", type = GoType.INT) long validLft) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public NetlinkAddr {
    Objects.requireNonNull(label, "Label");
    Objects.requireNonNull(broadcast, "Broadcast");
  }

  /** A builder starting from Go zero values (what Go writes for a zero {@code Addr}). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this value. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.ipNet = ipNet;
    b.label = label;
    b.flags = flags;
    b.scope = scope;
    b.peer = peer;
    b.broadcast = broadcast;
    b.preferedLft = preferedLft;
    b.validLft = validLft;
    return b;
  }

  /** Builds {@link NetlinkAddr} values; every field starts at its Go zero value. */
  public static final class Builder {
    private IpNet ipNet;
    private String label = "";
    private long flags;
    private long scope;
    private IpNet peer;
    private NetIp broadcast = NetIp.NIL;
    private long preferedLft;
    private long validLft;

    private Builder() {}

    public Builder ipNet(IpNet ipNet) {
      this.ipNet = ipNet;
      return this;
    }

    public Builder label(String label) {
      this.label = label;
      return this;
    }

    public Builder flags(long flags) {
      this.flags = flags;
      return this;
    }

    public Builder scope(long scope) {
      this.scope = scope;
      return this;
    }

    public Builder peer(IpNet peer) {
      this.peer = peer;
      return this;
    }

    public Builder broadcast(NetIp broadcast) {
      this.broadcast = broadcast;
      return this;
    }

    public Builder preferedLft(long preferedLft) {
      this.preferedLft = preferedLft;
      return this;
    }

    public Builder validLft(long validLft) {
      this.validLft = validLft;
      return this;
    }

    public NetlinkAddr build() {
      return new NetlinkAddr(ipNet, label, flags, scope, peer, broadcast, preferedLft, validLft);
    }
  }
}
