package org.vmm4j.network;

/**
 * How a veth (or macvlan, ipvlan, tuntap) from a CNI plugin is joined to the VM's tap, with Kata's
 * persisted codes ({@code NetInterworkingModel}).
 */
public enum InterworkingModel {
  /** Resolves to {@link #TCFILTER}, as Kata's {@code DefaultNetInterworkingModel}. */
  DEFAULT(0, "default"),
  /** A macvtap on the veth; the veth's MAC and addresses move to the guest side. */
  MACVTAP(1, "macvtap"),
  /** A separate tap; tc u32 mirred filters redirect every frame both ways. */
  TCFILTER(2, "tcfilter"),
  /** No connection (Kata: "Invalid internetworking model" once an endpoint needs one). */
  NONE(3, "none");

  private final int code;
  private final String text;

  InterworkingModel(int code, String text) {
    this.code = code;
    this.text = text;
  }

  /** The persisted code (0..3). */
  public int code() {
    return code;
  }

  /** {@link #DEFAULT} becomes {@link #TCFILTER}; the others stay. */
  public InterworkingModel resolve() {
    return this == DEFAULT ? TCFILTER : this;
  }

  /** From a persisted code. */
  public static InterworkingModel fromCode(int code) {
    for (InterworkingModel m : values()) {
      if (m.code == code) {
        return m;
      }
    }
    throw new IllegalArgumentException("interworking model code " + code + " (0..3)");
  }

  /**
   * From Kata's configuration names: {@code default}, {@code macvtap}, {@code tcfilter}, {@code
   * none}.
   */
  public static InterworkingModel parse(String text) {
    for (InterworkingModel m : values()) {
      if (m.text.equals(text)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "interworking model '" + text + "' (default, macvtap, tcfilter, none)");
  }

  @Override
  public String toString() {
    return text;
  }
}
