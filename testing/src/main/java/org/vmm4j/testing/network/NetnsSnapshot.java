package org.vmm4j.testing.network;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.vmm4j.testing.network.CniFixture.LinkState;
import org.vmm4j.testing.network.CniFixture.State;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a namespace with {@code ip -j} and {@code tc -j} (iproute2's JSON output) into a {@link
 * State}: only what is set up or torn down, never counters, timers or lifetimes that change by
 * themselves.
 */
final class NetnsSnapshot {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final List<String> ROUTE_KEYS =
      List.of("type", "dst", "gateway", "dev", "table", "protocol", "scope", "prefsrc", "metric");

  private NetnsSnapshot() {}

  /** The state of namespace {@code netns}, whose {@code eth0} it describes in detail. */
  static State of(String netns) {
    List<LinkState> links = new ArrayList<>();
    for (JsonNode l : json(HostCommand.ip(netns, "-j", "-d", "link", "show"))) {
      links.add(link(l));
    }
    links.sort(Comparator.comparing(LinkState::name));
    LinkState eth0 =
        links.stream()
            .filter(l -> l.name().equals("eth0"))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("netns " + netns + " has no eth0"));
    List<String> qdiscs = new ArrayList<>();
    for (JsonNode q : json(HostCommand.tc(netns, "-j", "qdisc", "show"))) {
      // Only ingress qdiscs are ever added; a root qdisc (noqueue, fq_codel) is the kernel's own,
      // attached the first time a device goes up and kept after it goes down.
      if (q.path("kind").asString("").equals("ingress")) {
        qdiscs.add(text(q, List.of("dev", "kind", "handle", "parent")));
      }
    }
    qdiscs.sort(null);
    List<String> filters =
        qdiscs.stream().anyMatch(q -> q.startsWith("dev eth0 "))
            ? filters(json(HostCommand.tc(netns, "-j", "filter", "show", "dev", "eth0", "ingress")))
            : List.of();
    return new State(eth0, addresses(netns), routes(netns), links, qdiscs, filters);
  }

  private static LinkState link(JsonNode l) {
    JsonNode info = l.path("linkinfo");
    String parent =
        l.has("link")
            ? l.get("link").asString()
            : l.has("link_index") ? "#" + l.get("link_index").asInt() : null;
    List<String> flags = new ArrayList<>();
    l.path("flags").forEach(f -> flags.add(f.asString()));
    return new LinkState(
        l.path("ifindex").asInt(),
        l.path("ifname").asString(),
        info.path("info_kind").asString(""),
        l.has("address") ? l.get("address").asString() : null,
        l.path("mtu").asInt(),
        List.copyOf(flags),
        l.path("txqlen").asInt(),
        parent,
        l.has("master") ? l.get("master").asString() : null,
        l.path("operstate").asString(""),
        l.path("link_type").asString(""),
        details(info));
  }

  /** What the kind adds: a tuntap's mode and flags, a macvlan's or macvtap's mode. */
  private static String details(JsonNode info) {
    JsonNode data = info.path("info_data");
    return switch (info.path("info_kind").asString("")) {
      case "tun" -> text(data, List.of("type", "pi", "vnet_hdr", "multi_queue", "persist"));
      case "macvlan", "macvtap" -> text(data, List.of("mode"));
      default -> "";
    };
  }

  /**
   * eth0's addresses: family, address and prefix, label, scope, broadcast and the flags that are
   * set (e.g. {@code [nodad tentative]}); lifetimes are left out.
   */
  private static List<String> addresses(String netns) {
    List<String> out = new ArrayList<>();
    for (JsonNode dev : json(HostCommand.ip(netns, "-j", "addr", "show", "dev", "eth0"))) {
      for (JsonNode a : dev.path("addr_info")) {
        TreeSet<String> flags = new TreeSet<>();
        for (Map.Entry<String, JsonNode> e : a.properties()) {
          if (e.getValue().isBoolean() && e.getValue().asBoolean()) {
            flags.add(e.getKey());
          }
        }
        out.add(
            a.path("family").asString()
                + " "
                + a.path("local").asString()
                + "/"
                + a.path("prefixlen").asInt()
                + " "
                + text(a, List.of("label", "scope", "broadcast"))
                + " flags "
                + flags);
      }
    }
    out.sort(null);
    return out;
  }

  /** Every route of every table, IPv4 and IPv6. */
  private static List<String> routes(String netns) {
    List<String> out = new ArrayList<>();
    for (String family : List.of("-4", "-6")) {
      for (JsonNode r :
          json(HostCommand.ip(netns, "-j", family, "route", "show", "table", "all"))) {
        out.add(family + " " + text(r, ROUTE_KEYS));
      }
    }
    out.sort(null);
    return out;
  }

  /** eth0's ingress filters: where they hang, their key, and where their actions send packets. */
  private static List<String> filters(JsonNode filters) {
    List<String> out = new ArrayList<>();
    for (JsonNode f : filters) {
      StringBuilder s =
          new StringBuilder(text(f, List.of("parent", "protocol", "pref", "kind", "chain")));
      JsonNode options = f.path("options");
      if (options.has("fh")) {
        s.append(" fh ").append(options.get("fh").asString());
      }
      for (JsonNode a : options.path("actions")) {
        s.append(" action ")
            .append(text(a, List.of("kind", "mirred_action", "direction", "to_dev")));
      }
      out.add(s.toString());
    }
    out.sort(null);
    return out;
  }

  /** {@code key value} for each of {@code keys} that {@code node} has, in that order. */
  private static String text(JsonNode node, List<String> keys) {
    StringBuilder s = new StringBuilder();
    for (String k : keys) {
      if (node.has(k)) {
        s.append(s.length() == 0 ? "" : " ").append(k).append(' ').append(node.get(k).asString());
      }
    }
    return s.toString();
  }

  private static JsonNode json(String text) {
    return text.isBlank() ? MAPPER.createArrayNode() : MAPPER.readTree(text);
  }
}
