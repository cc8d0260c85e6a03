package org.vmm4j.core.internal.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vmm4j.devices.PciTopology;
import org.vmm4j.devices.SlotReservation;
import org.vmm4j.network.Endpoint;
import org.vmm4j.network.EndpointRecords;
import org.vmm4j.persist.Bridge;
import org.vmm4j.persist.NetworkEndpoint;
import org.vmm4j.persist.PciPath;

/**
 * The endpoints a persisted state records, with their QEMU ids and PCI paths: veth, macvlan,
 * ipvlan, tap and tuntap records have no {@code PCIPath}, so theirs is the slot their device holds
 * in {@code Bridges[].DeviceAddr} (which vmm4j keys by the QEMU device id, {@code virtio-<uuid>},
 * and Kata by the bare UUID: both are read); a macvtap record keeps only its {@code PCIPath}, so
 * its name comes from the device at that path.
 */
public final class RecordedEndpoints {
  private RecordedEndpoints() {}

  /**
   * The recorded endpoints, in order.
   *
   * @param list {@code NetworkInfo.Endpoints} (null: none)
   * @param topology the bridges with who holds which slot ({@code HypervisorState.Bridges})
   * @throws IllegalArgumentException for a record of an unknown type
   */
  public static List<RecordedEndpoint> read(List<NetworkEndpoint> list, PciTopology topology) {
    List<RecordedEndpoint> out = new ArrayList<>();
    if (list == null) {
      return out;
    }
    List<Bridge> bridges = topology.toPersisted();
    for (int i = 0; i < list.size(); i++) {
      out.add(read(i, list.get(i), bridges, topology));
    }
    return out;
  }

  private static RecordedEndpoint read(
      int index, NetworkEndpoint ne, List<Bridge> bridges, PciTopology topology) {
    Endpoint e = EndpointRecords.fromPersisted(ne);
    PciPath path;
    if (e instanceof Endpoint.Macvtap m) {
      path = PciPath.parse(m.pciPath());
      String device = deviceAt(path, bridges, topology).orElse("");
      String name = device.startsWith("virtio-") ? device.substring("virtio-".length()) : "";
      e = new Endpoint.Macvtap(name, m.mac(), m.pciPath());
    } else if (e instanceof Endpoint.VhostUser v && !v.pciPath().isEmpty()) {
      path = PciPath.parse(v.pciPath());
    } else if (e instanceof Endpoint.Physical) {
      path = PciPath.NIL;
    } else {
      path = slotOf(NetIds.deviceId(e), topology);
    }
    e = e.withPciPath(path.toString());
    String deviceId = NetIds.deviceId(e);
    String slotKey = slot(deviceId, topology).map(SlotReservation::deviceId).orElse("");
    return new RecordedEndpoint(index, ne, e, deviceId, NetIds.netdevId(e), path, slotKey);
  }

  /** The path of the slot {@code deviceId} holds, or of the bare id Kata records; else nil. */
  static PciPath slotOf(String deviceId, PciTopology topology) {
    return slot(deviceId, topology).map(SlotReservation::pciPath).orElse(PciPath.NIL);
  }

  private static Optional<SlotReservation> slot(String deviceId, PciTopology topology) {
    Optional<SlotReservation> s = topology.find(deviceId);
    if (s.isEmpty() && deviceId.startsWith("virtio-")) {
      s = topology.find(deviceId.substring("virtio-".length()));
    }
    return s;
  }

  private static Optional<String> deviceAt(
      PciPath path, List<Bridge> bridges, PciTopology topology) {
    if (path.isNil() || bridges == null) {
      return Optional.empty();
    }
    for (Bridge b : bridges) {
      Map<Long, String> addr = b.deviceAddr() == null ? Map.of() : b.deviceAddr();
      for (String id : addr.values()) {
        if (topology.find(id).map(s -> s.pciPath().equals(path)).orElse(false)) {
          return Optional.of(id);
        }
      }
    }
    return Optional.empty();
  }
}
