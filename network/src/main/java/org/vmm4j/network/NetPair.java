package org.vmm4j.network;

import java.util.List;
import java.util.UUID;

/**
 * The VM-side tap and the CNI-side interface of a veth-like endpoint, as Kata persists it ({@code
 * NetworkInterfacePair}: the embedded {@code TapInterface{ID, Name, TAPIface}}, then {@code
 * VirtIface}, {@code NetInterworkingModel}).
 *
 * @param id a UUID; the guest NIC's QEMU id is {@code "virtio-" + id}
 * @param name {@code br<idx>_kata}: the QEMU netdev id
 * @param tap the tap QEMU reads ({@code tap<idx>_kata}); its MAC is the guest's MAC
 * @param virt the interface the CNI plugin made (a veth); its MAC is the random one Kata makes,
 *     used on the veth in the macvtap model
 * @param model how the two are joined
 */
public record NetPair(
    String id, String name, NetIface tap, NetIface virt, InterworkingModel model) {

  /**
   * What Kata's {@code createNetworkInterfacePair(idx, ifName, model)} makes: a fresh UUID, {@code
   * br<idx>_kata}, tap {@code tap<idx>_kata} (MAC unknown until connected), virt {@code ifName} (or
   * {@code eth<idx>}) with a random locally administered MAC.
   */
  public static NetPair forIndex(int idx, String ifName, InterworkingModel model) {
    String virtName = ifName == null || ifName.isEmpty() ? "eth" + idx : ifName;
    return new NetPair(
        UUID.randomUUID().toString(),
        "br" + idx + "_kata",
        new NetIface("tap" + idx + "_kata", null, List.of()),
        new NetIface(virtName, MacAddress.randomLocal(), List.of()),
        model);
  }

  public NetPair withTap(NetIface newTap) {
    return new NetPair(id, name, newTap, virt, model);
  }

  public NetPair withVirt(NetIface newVirt) {
    return new NetPair(id, name, tap, newVirt, model);
  }
}
