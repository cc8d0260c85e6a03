package org.vmm4j.network;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vmm4j.persist.BridgedMacvlanEndpoint;
import org.vmm4j.persist.IpVlanEndpoint;
import org.vmm4j.persist.MacvtapEndpoint;
import org.vmm4j.persist.NetworkEndpoint;
import org.vmm4j.persist.NetworkInfo;
import org.vmm4j.persist.NetworkInterfacePair;
import org.vmm4j.persist.PciPath;
import org.vmm4j.persist.PhysicalEndpoint;
import org.vmm4j.persist.TapEndpoint;
import org.vmm4j.persist.TapInterface;
import org.vmm4j.persist.TuntapEndpoint;
import org.vmm4j.persist.TuntapInterface;
import org.vmm4j.persist.VethEndpoint;
import org.vmm4j.persist.VhostUserEndpoint;

/**
 * Endpoints in Kata's persisted form ({@code NetworkEndpoint} with its {@code Type}, as each Kata
 * endpoint's {@code save()} writes it) and back. What each persisted type keeps:
 *
 * <ul>
 *   <li>veth ({@code virtual}), macvlan, ipvlan: the whole {@code NetPair} (the tap's UUID, names,
 *       MACs, the addresses the macvtap model moved, the model);
 *   <li>tap: {@code TapInterface{ID, Name, TAPIface}} (not the MTU);
 *   <li>tuntap: {@code TuntapInterface{Name, TAPIface{Name, HardAddr}}} only. vmm4j restores it
 *       (Kata cannot): the pair's UUID is {@link #tuntapPairId} of the tap's name (the attaching
 *       side gives it that id), the QEMU netdev is {@code br<idx>_kata} for {@code tap<idx>_kata},
 *       and the addresses the macvtap model moves off the interface ride in {@code TAPIface.Addrs},
 *       which Kata leaves nil: present means the macvtap model, absent tcfilter;
 *   <li>macvtap: {@code PCIPath} only (the name comes back from the device at that path);
 *   <li>vhost-user: {@code IfaceName}, {@code PCIPath};
 *   <li>physical: {@code BDF}, {@code Driver}, {@code VendorDeviceID}.
 * </ul>
 *
 * PCI paths of veth, macvlan, ipvlan, tap and tuntap endpoints are not in the schema: they come
 * from {@code HypervisorState.Bridges[].DeviceAddr}, which the caller reads. What a type does not
 * keep comes back empty: "" for names and paths, null for MACs and sockets.
 */
public final class EndpointRecords {
  private static final Pattern TAP_NAME = Pattern.compile("tap(\\d+)_kata");

  private EndpointRecords() {}

  /** The persisted form of {@code e} (Kata's {@code save()}). */
  public static NetworkEndpoint toPersisted(Endpoint e) {
    if (e instanceof Endpoint.Veth v) {
      return NetworkEndpoint.of(new VethEndpoint(pair(v.pair())));
    } else if (e instanceof Endpoint.Macvlan m) {
      return NetworkEndpoint.of(new BridgedMacvlanEndpoint(pair(m.pair())));
    } else if (e instanceof Endpoint.IpVlan i) {
      return NetworkEndpoint.of(new IpVlanEndpoint(pair(i.pair())));
    } else if (e instanceof Endpoint.Tuntap t) {
      NetPair p = t.pair();
      NetIface tap = p.tap();
      if (p.model().resolve() == InterworkingModel.MACVTAP) {
        tap = tap.withAddresses(p.virt().addresses());
      }
      return NetworkEndpoint.of(
          new TuntapEndpoint(
              new TuntapInterface(p.virt().name(), AddressRecords.toPersisted(tap))));
    } else if (e instanceof Endpoint.Tap t) {
      return NetworkEndpoint.of(
          new TapEndpoint(new TapInterface(t.id(), t.name(), AddressRecords.toPersisted(t.tap()))));
    } else if (e instanceof Endpoint.Macvtap m) {
      return NetworkEndpoint.of(new MacvtapEndpoint(PciPath.parse(m.pciPath())));
    } else if (e instanceof Endpoint.VhostUser v) {
      return NetworkEndpoint.of(new VhostUserEndpoint(v.name(), PciPath.parse(v.pciPath())));
    } else if (e instanceof Endpoint.Physical p) {
      return NetworkEndpoint.of(new PhysicalEndpoint(p.bdf(), p.driver(), p.vendorDeviceId()));
    }
    throw new AssertionError(e);
  }

  /**
   * The endpoint a persisted one describes, with what its type keeps (see the class comment).
   *
   * @throws IllegalArgumentException for an unknown {@code Type}, or a {@code Type} whose variant
   *     is missing
   */
  public static Endpoint fromPersisted(NetworkEndpoint e) {
    switch (e.type()) {
      case "virtual":
        return new Endpoint.Veth(pair(need(e, e.veth()).netPair()), "");
      case "macvlan":
        return new Endpoint.Macvlan(pair(need(e, e.bridgedMacvlan()).netPair()), "");
      case "ipvlan":
        return new Endpoint.IpVlan(pair(need(e, e.ipVlan()).netPair()), "");
      case "tuntap":
        return tuntap(need(e, e.tuntap()).tuntapInterface());
      case "tap":
        TapInterface t = need(e, e.tap()).tapInterface();
        return new Endpoint.Tap(
            t.id(), t.name(), AddressRecords.fromPersisted(t.tapIface()), 0, "");
      case "macvtap":
        return new Endpoint.Macvtap("", null, need(e, e.macvtap()).pciPath().toString());
      case "vhost-user":
        VhostUserEndpoint v = need(e, e.vhostUser());
        return new Endpoint.VhostUser(v.ifaceName(), null, null, v.pciPath().toString());
      case "physical":
        PhysicalEndpoint p = need(e, e.physical());
        return new Endpoint.Physical("", null, p.bdf(), p.driver(), p.vendorDeviceId(), "");
      default:
        throw new IllegalArgumentException("network endpoint of unknown Type \"" + e.type() + "\"");
    }
  }

  /**
   * {@code NetworkInfo}: the namespace, whether the runtime created it, and the endpoints ({@code
   * Endpoints} nil when there are none, as Kata's {@code append} leaves it).
   */
  public static NetworkInfo networkInfo(
      String netNsPath, boolean netNsCreated, List<Endpoint> endpoints) {
    List<NetworkEndpoint> list =
        endpoints.isEmpty() ? null : endpoints.stream().map(EndpointRecords::toPersisted).toList();
    return new NetworkInfo(netNsPath, 0, netNsCreated, list);
  }

  /** The endpoints of a {@code NetworkInfo}, in order. */
  public static List<Endpoint> endpoints(NetworkInfo info) {
    return info.endpoints() == null
        ? List.of()
        : info.endpoints().stream().map(EndpointRecords::fromPersisted).toList();
  }

  /**
   * The UUID a tuntap endpoint's pair has, derived from its tap's name ({@code tap<idx>_kata}), so
   * that a controller restoring it from {@code TuntapInterface} (which keeps no UUID) finds its
   * QEMU device ({@code virtio-<uuid>}) again. Unique within a namespace, as tap names are.
   */
  public static String tuntapPairId(String tapName) {
    return UUID.nameUUIDFromBytes(("vmm4j tuntap " + tapName).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  /** Kata's pair name for a tap: {@code br<idx>_kata} for {@code tap<idx>_kata}. */
  public static String pairNameOf(String tapName) {
    Matcher m = TAP_NAME.matcher(tapName);
    return m.matches() ? "br" + m.group(1) + "_kata" : "br-" + tapName;
  }

  private static Endpoint.Tuntap tuntap(TuntapInterface t) {
    NetIface tap = AddressRecords.fromPersisted(t.tapIface());
    InterworkingModel model =
        tap.addresses().isEmpty() ? InterworkingModel.TCFILTER : InterworkingModel.MACVTAP;
    NetPair pair =
        new NetPair(
            tuntapPairId(tap.name()),
            pairNameOf(tap.name()),
            tap.withAddresses(List.of()),
            new NetIface(t.name(), null, tap.addresses()),
            model);
    return new Endpoint.Tuntap(pair, "");
  }

  private static NetworkInterfacePair pair(NetPair p) {
    return new NetworkInterfacePair(
        new TapInterface(p.id(), p.name(), AddressRecords.toPersisted(p.tap())),
        AddressRecords.toPersisted(p.virt()),
        p.model().code());
  }

  private static NetPair pair(NetworkInterfacePair p) {
    TapInterface t = p.tapInterface();
    return new NetPair(
        t.id(),
        t.name(),
        AddressRecords.fromPersisted(t.tapIface()),
        AddressRecords.fromPersisted(p.virtIface()),
        InterworkingModel.fromCode(Math.toIntExact(p.netInterworkingModel())));
  }

  private static <T> T need(NetworkEndpoint e, T variant) {
    if (variant == null) {
      throw new IllegalArgumentException(
          "network endpoint of Type \"" + e.type() + "\" without its variant");
    }
    return variant;
  }
}
