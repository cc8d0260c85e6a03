package org.vmm4j.core.internal.net;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.network.Endpoint;
import org.vmm4j.network.EndpointRecords;
import org.vmm4j.network.NetIface;
import org.vmm4j.network.NetPair;
import org.vmm4j.network.NetworkScan;

/**
 * Which endpoints of a namespace scan to attach: one interface, or every one not yet attached (the
 * recorded endpoints' names are interface names). The taps and macvtaps of attached endpoints (and
 * any {@code tap<idx>_kata}) are never candidates: once up they have an IPv6 link-local address, so
 * a scan lists them. Paired endpoints are renumbered to the lowest {@code br<idx>_kata}/{@code
 * tap<idx>_kata} no recorded endpoint uses (a scan numbers from 0 each time), and a tuntap gets the
 * pair UUID a restore derives from its tap's name ({@link EndpointRecords#tuntapPairId}).
 */
public final class EndpointSelection {
  private static final Pattern TAP_INDEX = Pattern.compile("tap(\\d+)_kata");

  private EndpointSelection() {}

  /**
   * The endpoints to attach, in scan order.
   *
   * @param what the operation, for messages ({@code sandbox sb1: hotplug net})
   * @param netns the namespace, for messages
   * @throws HotplugRefusedException when the interface is not in the scan or already attached, a
   *     physical NIC is asked for (VFIO hand-over is not supported), or nothing is left
   */
  public static List<Endpoint> select(
      NetworkScan scan,
      List<RecordedEndpoint> recorded,
      Optional<String> iface,
      String what,
      String netns) {
    Set<String> attached =
        recorded.stream().map(RecordedEndpoint::name).collect(Collectors.toSet());
    Set<String> ours = hostInterfaces(recorded);
    List<Endpoint> candidates = new ArrayList<>();
    for (Endpoint e : scan.endpoints()) {
      if (ours.contains(e.name()) || TAP_INDEX.matcher(e.name()).matches()) {
        continue; // a tap or macvtap of an attached endpoint (up, it has a link-local address)
      }
      if (iface.map(i -> i.equals(e.name())).orElse(!attached.contains(e.name()))) {
        candidates.add(e);
      }
    }
    if (iface.isPresent() && attached.contains(iface.get())) {
      throw new HotplugRefusedException(
          what + ": interface " + iface.get() + " of " + netns + " is attached already");
    }
    if (candidates.isEmpty()) {
      String found =
          scan.endpoints().isEmpty()
              ? "no interface with an address"
              : "interfaces with an address: "
                  + scan.endpoints().stream().map(Endpoint::name).collect(Collectors.joining(", "));
      throw new HotplugRefusedException(
          what
              + ": "
              + iface.map(i -> "no interface " + i + " with an address").orElse("nothing new")
              + " in "
              + netns
              + " ("
              + found
              + (attached.isEmpty() ? "" : "; attached: " + String.join(", ", attached))
              + ")");
    }
    for (Endpoint e : candidates) {
      if (e instanceof Endpoint.Physical p) {
        throw new HotplugRefusedException(
            what
                + ": interface "
                + p.name()
                + " of "
                + netns
                + " is a physical NIC ("
                + p.bdf()
                + ", "
                + p.driver()
                + "): handing it over with VFIO is not supported");
      }
    }
    return renumber(candidates, recorded);
  }

  /** The taps and macvtaps vmm4j made for the recorded endpoints. */
  private static Set<String> hostInterfaces(List<RecordedEndpoint> recorded) {
    Set<String> out = new HashSet<>();
    for (RecordedEndpoint r : recorded) {
      if (r.endpoint() instanceof Endpoint.Paired p) {
        out.add(p.pair().tap().name());
      } else if (r.endpoint() instanceof Endpoint.Tap t) {
        out.add(t.tap().name());
      }
    }
    return out;
  }

  private static List<Endpoint> renumber(List<Endpoint> chosen, List<RecordedEndpoint> recorded) {
    Set<Integer> used = new HashSet<>();
    for (RecordedEndpoint r : recorded) {
      if (r.endpoint() instanceof Endpoint.Paired p) {
        index(p.pair().tap().name()).ifPresent(used::add);
      } else if (r.endpoint() instanceof Endpoint.Tap t) {
        index(t.tap().name()).ifPresent(used::add);
      }
    }
    List<Endpoint> out = new ArrayList<>();
    int next = 0;
    for (Endpoint e : chosen) {
      if (e instanceof Endpoint.Paired p) {
        while (used.contains(next)) {
          next++;
        }
        used.add(next);
        out.add(p.withPair(renamed(p, next)));
      } else {
        out.add(e);
      }
    }
    return out;
  }

  private static NetPair renamed(Endpoint.Paired p, int idx) {
    NetPair pair = p.pair();
    String tapName = "tap" + idx + "_kata";
    String id = p instanceof Endpoint.Tuntap ? EndpointRecords.tuntapPairId(tapName) : pair.id();
    NetIface tap = new NetIface(tapName, pair.tap().mac(), pair.tap().addresses());
    return new NetPair(id, "br" + idx + "_kata", tap, pair.virt(), pair.model());
  }

  private static Optional<Integer> index(String tapName) {
    Matcher m = TAP_INDEX.matcher(tapName);
    return m.matches() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
  }
}
