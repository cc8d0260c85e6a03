package org.vmm4j.network;

/** A link to create with {@link Links#create}. tuntap devices are made by {@link TapDevice}. */
public sealed interface LinkSpec {

  /** The new link's name. */
  String name();

  /** The {@code IFLA_INFO_KIND}: {@code veth}, {@code macvtap}, {@code bridge}. */
  String kind();

  /** How error messages name it, e.g. {@code "veth tbveth0"}. */
  default String describe() {
    return kind() + " " + name();
  }

  /**
   * A veth pair ({@code ip link add NAME type veth peer name PEER [netns NS]}).
   *
   * @param peerNamespace where the peer goes, or null for the same namespace as the first end
   */
  record Veth(String name, String peerName, NetNs peerNamespace) implements LinkSpec {
    public Veth(String name, String peerName) {
      this(name, peerName, null);
    }

    @Override
    public String kind() {
      return "veth";
    }
  }

  /**
   * A macvtap on {@code parentIndex} ({@code ip link add link PARENT name NAME type macvtap mode
   * MODE}).
   *
   * @param mode {@link LinkDetails.Macvlan#MODE_BRIDGE} etc.
   * @param txQueueLength 0 for the kernel's default
   * @param index the interface index to ask for, 0 to let the kernel choose (Kata picks one above
   *     8192 so that {@code /dev/tapN}, named by index, does not collide across namespaces)
   */
  record Macvtap(String name, int parentIndex, int mode, int txQueueLength, int index)
      implements LinkSpec {
    @Override
    public String kind() {
      return "macvtap";
    }
  }

  /** A bridge ({@code ip link add NAME type bridge}). */
  record Bridge(String name) implements LinkSpec {
    @Override
    public String kind() {
      return "bridge";
    }
  }
}
