package org.vmm4j.testing.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * What a CNI bridge plugin leaves behind, in two namespaces this fixture creates with {@code ip}:
 * in the pod namespace {@code eth0} (a veth, MAC {@link #POD_MAC}, MTU 1450, {@code 10.88.0.5/16}
 * and {@code fd88::5/64}, default route via {@code 10.88.0.1}); its peer {@code vethpeer0} in the
 * peer namespace with {@code 10.88.0.1/16} (playing the host side).
 *
 * <p>The constructor returns once the kernel has settled the pod namespace (see {@link
 * #settledPodState()}; eth0's link-local address is there too), so the state a test takes first, to
 * compare with after its teardown, does not change by itself in between.
 *
 * <p>{@link #podState()} reads the pod namespace with {@code ip -j} and {@code tc -j}, tools
 * independent of the code under test, so a test compares the state after its teardown with the
 * state before. A test skips when {@link #unavailable()} says why it cannot run here.
 */
public final class CniFixture implements AutoCloseable {
  public static final String POD_MAC = "0a:58:0a:58:00:05";
  public static final String POD_IP = "10.88.0.5";
  public static final String POD_IP6 = "fd88::5";
  public static final String PEER_IP = "10.88.0.1";

  /** Where {@code ip netns} keeps named namespaces. */
  public static final Path RUN_DIR = Path.of("/run/netns");

  private static final long SETTLE_NANOS = 10_000_000_000L;
  private static final long POLL_MILLIS = 20;

  private final String pod;
  private final String peer;

  /**
   * Creates both namespaces, named {@code vmm4j-t-TAGp-RANDOM} and {@code vmm4j-t-TAGh-RANDOM}.
   *
   * @throws IllegalStateException naming the {@code ip} command that failed (what was created is
   *     deleted again)
   */
  public CniFixture(String tag) {
    pod = uniqueName(tag + "p");
    peer = uniqueName(tag + "h");
    HostCommand.run("ip", "netns", "add", pod);
    try {
      HostCommand.run("ip", "netns", "add", peer);
      setUp();
      // Handed out settled: a state read now does not change by itself later.
      awaitPodState(
          s -> isSettled(s) && s.addresses().stream().anyMatch(a -> a.startsWith("inet6 fe80:")),
          "settled, with eth0's link-local address");
    } catch (RuntimeException e) {
      try {
        close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private void setUp() {
    HostCommand.ip(pod, "link", "add", "eth0", "type", "veth", "peer", "vethpeer0", "netns", peer);
    HostCommand.ip(pod, "link", "set", "eth0", "address", POD_MAC, "mtu", "1450");
    HostCommand.ip(pod, "addr", "add", POD_IP + "/16", "dev", "eth0");
    HostCommand.ip(pod, "addr", "add", POD_IP6 + "/64", "dev", "eth0");
    HostCommand.ip(pod, "link", "set", "eth0", "up");
    HostCommand.ip(pod, "route", "add", "default", "via", PEER_IP, "dev", "eth0");
    HostCommand.ip(peer, "link", "set", "vethpeer0", "mtu", "1450");
    HostCommand.ip(peer, "addr", "add", PEER_IP + "/16", "dev", "vethpeer0");
    HostCommand.ip(peer, "link", "set", "vethpeer0", "up");
  }

  /**
   * Why the fixture cannot run here (not root, no network namespaces, no {@code /dev/net/tun} for
   * the taps its users open, no {@code ip} or {@code tc}); empty when it can. A test skips with
   * this as its reason.
   */
  public static Optional<String> unavailable() {
    if (!isRoot()) {
      return Optional.of("not root: netns, veth and tap tests need CAP_NET_ADMIN/CAP_SYS_ADMIN");
    }
    if (!Files.exists(Path.of("/proc/self/ns/net"))) {
      return Optional.of("no network namespaces (/proc/self/ns/net)");
    }
    if (!Files.exists(Path.of("/dev/net/tun"))) {
      return Optional.of("no /dev/net/tun");
    }
    if (!HostCommand.works("ip", "-V") || !HostCommand.works("tc", "-V")) {
      return Optional.of("no ip or tc (iproute2) on the PATH");
    }
    return Optional.empty();
  }

  private static boolean isRoot() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(l -> l.startsWith("Uid:"))
          .anyMatch(l -> l.split("\\s+")[2].equals("0"));
    } catch (IOException e) {
      return false;
    }
  }

  private static String uniqueName(String tag) {
    return "vmm4j-t-"
        + tag
        + "-"
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
  }

  /** The pod namespace's {@code ip netns} name. */
  public String podName() {
    return pod;
  }

  /** The peer namespace's {@code ip netns} name. */
  public String peerName() {
    return peer;
  }

  /** The pod namespace's file, what a runtime is given as the sandbox's network namespace. */
  public Path podPath() {
    return RUN_DIR.resolve(pod);
  }

  /** The peer namespace's file. */
  public Path peerPath() {
    return RUN_DIR.resolve(peer);
  }

  /**
   * An interface as {@code ip -j -d link show} reports it: index, name, kind, MAC, MTU, flags,
   * queue length, its parent (a veth's peer, a macvtap's lower device: a name, or {@code #INDEX}
   * when it is in another namespace), master, operational state, link type, and what the kind adds
   * ({@code type tap pi false vnet_hdr true multi_queue true persist true}, {@code mode bridge}).
   */
  public record LinkState(
      int index,
      String name,
      String kind,
      String mac,
      int mtu,
      List<String> flags,
      int txQueueLength,
      String parent,
      String master,
      String operState,
      String linkType,
      String details) {}

  /**
   * Everything teardown must restore, as one comparable value: every link, eth0's addresses, all
   * routes (every table, IPv4 and IPv6), the ingress qdiscs and eth0's ingress filters.
   */
  public record State(
      LinkState eth0,
      List<String> addresses,
      List<String> routes,
      List<LinkState> links,
      List<String> qdiscs,
      List<String> filters) {}

  /** The pod namespace as it is now. */
  public State podState() {
    return NetnsSnapshot.of(pod);
  }

  /**
   * {@link #podState()} once the kernel has settled it. Some of what it does after a change runs
   * later, on its own: the operational state follows the carrier (a veth whose peer just came up
   * shows {@code NO-CARRIER} for a moment), IPv6 addresses, new or put back, run duplicate address
   * detection for a second or two ({@code tentative}), and get their local route once it ends.
   * Settled: eth0's operational state is up when it is up with a carrier, no address is tentative,
   * and every IPv6 address of eth0 has its local route.
   *
   * @throws IllegalStateException when it has not settled after 10 s
   */
  public State settledPodState() {
    return awaitPodState(CniFixture::isSettled, "settled");
  }

  /** Whether nothing in {@code s} is still changing by itself (see {@link #settledPodState()}). */
  private static boolean isSettled(State s) {
    List<String> flags = s.eth0().flags();
    if (flags.contains("UP") && flags.contains("LOWER_UP") && !s.eth0().operState().equals("UP")) {
      return false;
    }
    if (flags.contains("UP") && flags.contains("NO-CARRIER")) {
      return false; // its peer is up: the carrier follows within a second (linkwatch)
    }
    for (String a : s.addresses()) {
      if (a.matches(".* flags \\[.*\\btentative\\b.*")) {
        return false;
      }
      String local = "-6 type local dst " + a.split("[ /]")[1] + " dev eth0 table local ";
      if (a.startsWith("inet6 ") && s.routes().stream().noneMatch(r -> r.startsWith(local))) {
        return false;
      }
    }
    return true;
  }

  /** Polls {@link #podState()} until {@code ready} holds; at most 10 s. */
  private State awaitPodState(Predicate<State> ready, String what) {
    long end = System.nanoTime() + SETTLE_NANOS;
    while (true) {
      State s = podState();
      if (ready.test(s)) {
        return s;
      }
      if (System.nanoTime() > end) {
        throw new IllegalStateException(
            "pod namespace " + pod + " not " + what + " after 10 s: " + s);
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what, e);
      }
    }
  }

  /** Deletes both namespaces ({@code ip netns delete}); their interfaces go with them. */
  @Override
  public void close() {
    try {
      deleteIfPresent(pod);
    } finally {
      deleteIfPresent(peer);
    }
  }

  private static void deleteIfPresent(String name) {
    if (Files.exists(RUN_DIR.resolve(name))) {
      HostCommand.run("ip", "netns", "delete", name);
    }
  }
}
