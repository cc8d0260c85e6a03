package org.vmm4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.NetAttachRequest;
import org.vmm4j.network.Address;
import org.vmm4j.network.IpPrefix;
import org.vmm4j.network.Link;
import org.vmm4j.network.LinkSpec;
import org.vmm4j.network.NetNs;
import org.vmm4j.network.Netlink;
import org.vmm4j.network.Route;
import org.vmm4j.testguest.AgentClient;
import org.vmm4j.testguest.GuestNetInterface;
import tools.jackson.databind.node.ObjectNode;

/**
 * The demo's network step: what a CNI plugin would do for a pod (two namespaces made for the demo:
 * {@code eth0}, a veth with {@value #POD_IP}/24 and a default route in the pod's, its other end
 * with {@value #PEER_IP}/24 in the peer's), then {@code hotplug net --netns} on the running guest,
 * the guest taking the pod's address and pinging the other end, {@code unplug}, and the namespaces
 * removed. Needs root and {@code /dev/net/tun}: without them the step is skipped and says why.
 */
final class DemoNetwork {
  static final String POD_IP = "10.99.0.2";
  static final String PEER_IP = "10.99.0.1";
  static final Duration NIC_TIMEOUT = Duration.ofSeconds(30);

  /**
   * What happened.
   *
   * @param skipped why the step did not run ("" when it ran)
   * @param endpoint what was hot-plugged (null when skipped)
   * @param guestInterface the guest's name for the NIC
   * @param guestPciPath the PCI path the guest sees it at
   * @param pinged whether the guest's ping of the peer was answered
   * @param unplugged whether the endpoint was unplugged again
   */
  record Outcome(
      String skipped,
      Device endpoint,
      String guestInterface,
      String guestPciPath,
      boolean pinged,
      boolean unplugged) {

    void print(java.io.PrintWriter out) {
      if (!skipped.isEmpty()) {
        out.println("network: skipped (" + skipped + ")");
        return;
      }
      out.printf(
          "network: hot-plugged %s at PCI path %s (%s); the guest sees %s at %s, took %s/24 and"
              + " pinged %s (the veth's other end): %s; unplugged: %s%n",
          endpoint.id(),
          endpoint.pciPath(),
          details(endpoint),
          guestInterface,
          guestPciPath,
          POD_IP,
          PEER_IP,
          pinged ? "answered" : "no answer",
          unplugged ? "yes" : "no");
      out.flush();
    }

    void addTo(ObjectNode root) {
      ObjectNode n = root.putObject("network");
      if (!skipped.isEmpty()) {
        n.put("skipped", skipped);
        return;
      }
      n.put("endpoint", endpoint.id()).put("pciPath", endpoint.pciPath().toString());
      n.put("mac", endpoint.details().get("mac")).put("guestInterface", guestInterface);
      n.put("guestPciPath", guestPciPath).put("pinged", pinged).put("unplugged", unplugged);
    }
  }

  private DemoNetwork() {}

  /** Why this host cannot run the step, or empty. */
  static Optional<String> missing() {
    if (!Files.exists(Path.of("/dev/net/tun"))) {
      return Optional.of("no /dev/net/tun");
    }
    if (!isRoot()) {
      return Optional.of("needs root for network namespaces");
    }
    return Optional.empty();
  }

  private static boolean isRoot() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(l -> l.startsWith("Uid:"))
          .anyMatch(l -> l.split("\\s+")[2].equals("0"));
    } catch (java.io.IOException e) {
      return false;
    }
  }

  static Outcome run(Sandbox s, AgentClient agent, Consumer<String> progress) {
    Optional<String> missing = missing();
    if (missing.isPresent()) {
      progress.accept("network: skipped (" + missing.get() + ")");
      return new Outcome(missing.get(), null, "", "", false, false);
    }
    String tag = "vmm4j-demo-" + s.id().replaceAll("[^A-Za-z0-9-]", "");
    try (NetNs pod = NetNs.create(tag + "-pod")) {
      try (NetNs peer = NetNs.create(tag + "-peer")) {
        try {
          setUp(pod, peer);
          progress.accept("network: pod namespace " + pod.path() + " with veth eth0, " + POD_IP);
          return plugPingUnplug(s, agent, pod, progress);
        } finally {
          peer.delete();
        }
      } finally {
        pod.delete();
      }
    }
  }

  private static Outcome plugPingUnplug(
      Sandbox s, AgentClient agent, NetNs pod, Consumer<String> progress) {
    Device e = s.network().attach(NetAttachRequest.all().withNetns(pod.path().toString())).get(0);
    progress.accept("network: hot-plugged " + e.lines().get(0));
    GuestNetInterface nic = awaitNic(agent, e.details().get("mac"));
    agent.ifaddr(nic.name(), POD_IP + "/24");
    boolean pinged = agent.pingHost(PEER_IP, 3);
    progress.accept("network: guest " + nic.name() + " pinged " + PEER_IP + ": " + pinged);
    s.network().detach(e.id());
    progress.accept("network: unplugged " + e.id());
    return new Outcome("", e, nic.name(), nic.pciPath().orElse("-"), pinged, true);
  }

  private static GuestNetInterface awaitNic(AgentClient agent, String mac) {
    long end = System.nanoTime() + NIC_TIMEOUT.toNanos();
    Supplier<Optional<GuestNetInterface>> find =
        () -> agent.netInterfaces().stream().filter(n -> n.mac().equals(mac)).findFirst();
    for (Optional<GuestNetInterface> n = find.get(); ; n = find.get()) {
      if (n.isPresent()) {
        return n.get();
      }
      if (System.nanoTime() > end) {
        throw CliException.failed(
            "demo: the guest shows no NIC with MAC "
                + mac
                + " after "
                + NIC_TIMEOUT.toSeconds()
                + " s",
            null);
      }
      sleep(200);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.failed("demo: interrupted", e);
    }
  }

  /** What a CNI bridge-less plugin leaves: the pod's veth and its other end with addresses. */
  private static void setUp(NetNs pod, NetNs peer) {
    pod.run(
        ctx -> {
          Netlink nl = ctx.netlink();
          nl.links().create(new LinkSpec.Veth("eth0", "veth-demo", peer));
          Link eth0 = nl.links().get("eth0");
          nl.addresses().add(Address.of(eth0.index(), POD_IP + "/24"));
          nl.links().setUp(eth0.index());
          nl.routes().add(Route.via(null, IpPrefix.literal(PEER_IP), eth0.index(), 2));
          return null;
        });
    peer.run(
        ctx -> {
          Netlink nl = ctx.netlink();
          Link p = nl.links().get("veth-demo");
          nl.addresses().add(Address.of(p.index(), PEER_IP + "/24"));
          nl.links().setUp(p.index());
          return null;
        });
  }

  /** {@code mac=... type=... model=...}: an endpoint's details as one string. */
  private static String details(Device d) {
    StringBuilder b = new StringBuilder();
    d.details()
        .forEach((k, v) -> b.append(b.length() == 0 ? "" : " ").append(k).append('=').append(v));
    return b.toString();
  }
}
