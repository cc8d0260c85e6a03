package org.vmm4j.persist;

import java.util.Objects;
import org.vmm4j.persist.codec.GoField;

/**
 * persistapi.NetworkEndpoint: one endpoint; {@code Type} names it and exactly one variant is set.
 *
 * <p>Go type: {@code persistapi.NetworkEndpoint}. Built from Go zero values with {@link
 * #builder()}.
 */
public record NetworkEndpoint(
    @GoField("Type") String type,
    @GoField(value = "Physical", omitEmpty = true, pointer = true) PhysicalEndpoint physical,
    @GoField(value = "Veth", omitEmpty = true, pointer = true) VethEndpoint veth,
    @GoField(value = "VhostUser", omitEmpty = true, pointer = true) VhostUserEndpoint vhostUser,
    @GoField(value = "BridgedMacvlan", omitEmpty = true, pointer = true)
        BridgedMacvlanEndpoint bridgedMacvlan,
    @GoField(value = "Macvtap", omitEmpty = true, pointer = true) MacvtapEndpoint macvtap,
    @GoField(value = "Tap", omitEmpty = true, pointer = true) TapEndpoint tap,
    @GoField(value = "IPVlan", omitEmpty = true, pointer = true) IpVlanEndpoint ipVlan,
    @GoField(value = "Tuntap", omitEmpty = true, pointer = true) TuntapEndpoint tuntap) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public NetworkEndpoint {
    Objects.requireNonNull(type, "Type");
  }

  /** A physical endpoint (Type {@code "physical"}). */
  public static NetworkEndpoint of(PhysicalEndpoint e) {
    return builder().type("physical").physical(e).build();
  }

  /** A veth endpoint (Type {@code "virtual"}). */
  public static NetworkEndpoint of(VethEndpoint e) {
    return builder().type("virtual").veth(e).build();
  }

  /** A vhost-user endpoint (Type {@code "vhost-user"}). */
  public static NetworkEndpoint of(VhostUserEndpoint e) {
    return builder().type("vhost-user").vhostUser(e).build();
  }

  /** A bridged macvlan endpoint (Type {@code "macvlan"}). */
  public static NetworkEndpoint of(BridgedMacvlanEndpoint e) {
    return builder().type("macvlan").bridgedMacvlan(e).build();
  }

  /** A macvtap endpoint (Type {@code "macvtap"}). */
  public static NetworkEndpoint of(MacvtapEndpoint e) {
    return builder().type("macvtap").macvtap(e).build();
  }

  /** A tap endpoint (Type {@code "tap"}). */
  public static NetworkEndpoint of(TapEndpoint e) {
    return builder().type("tap").tap(e).build();
  }

  /** An ipvlan endpoint (Type {@code "ipvlan"}). */
  public static NetworkEndpoint of(IpVlanEndpoint e) {
    return builder().type("ipvlan").ipVlan(e).build();
  }

  /** A tuntap endpoint (Type {@code "tuntap"}). */
  public static NetworkEndpoint of(TuntapEndpoint e) {
    return builder().type("tuntap").tuntap(e).build();
  }

  /** A builder starting from Go zero values (what Go writes for a zero {@code NetworkEndpoint}). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this value. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.type = type;
    b.physical = physical;
    b.veth = veth;
    b.vhostUser = vhostUser;
    b.bridgedMacvlan = bridgedMacvlan;
    b.macvtap = macvtap;
    b.tap = tap;
    b.ipVlan = ipVlan;
    b.tuntap = tuntap;
    return b;
  }

  /** Builds {@link NetworkEndpoint} values; every field starts at its Go zero value. */
  public static final class Builder {
    private String type = "";
    private PhysicalEndpoint physical;
    private VethEndpoint veth;
    private VhostUserEndpoint vhostUser;
    private BridgedMacvlanEndpoint bridgedMacvlan;
    private MacvtapEndpoint macvtap;
    private TapEndpoint tap;
    private IpVlanEndpoint ipVlan;
    private TuntapEndpoint tuntap;

    private Builder() {}

    public Builder type(String type) {
      this.type = type;
      return this;
    }

    public Builder physical(PhysicalEndpoint physical) {
      this.physical = physical;
      return this;
    }

    public Builder veth(VethEndpoint veth) {
      this.veth = veth;
      return this;
    }

    public Builder vhostUser(VhostUserEndpoint vhostUser) {
      this.vhostUser = vhostUser;
      return this;
    }

    public Builder bridgedMacvlan(BridgedMacvlanEndpoint bridgedMacvlan) {
      this.bridgedMacvlan = bridgedMacvlan;
      return this;
    }

    public Builder macvtap(MacvtapEndpoint macvtap) {
      this.macvtap = macvtap;
      return this;
    }

    public Builder tap(TapEndpoint tap) {
      this.tap = tap;
      return this;
    }

    public Builder ipVlan(IpVlanEndpoint ipVlan) {
      this.ipVlan = ipVlan;
      return this;
    }

    public Builder tuntap(TuntapEndpoint tuntap) {
      this.tuntap = tuntap;
      return this;
    }

    public NetworkEndpoint build() {
      return new NetworkEndpoint(
          type, physical, veth, vhostUser, bridgedMacvlan, macvtap, tap, ipVlan, tuntap);
    }
  }
}
