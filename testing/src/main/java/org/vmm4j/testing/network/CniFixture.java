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
    // the kernel reports the carrier of a veth whose peer came up within a second (linkwatch):
    // a state read before would differ from every later one
    await(CniFixture::carrierSettled, "eth0 to have its carrier");
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
   * {@link #podState()} once the kernel has settled it: no address tentative any more, and eth0,
   * when up, with its carrier. IPv6 addresses, new or put back, run duplicate address detection for
   * a second or two and get their local routes when it ends; a veth set up again reports its
   * carrier up to a second later. Compare settled states.
   *
   * @throws IllegalStateException when the namespace has not settled after 10 s
   */
  public State settledPodState() {
    return await(
        s -> carrierSettled(s) && s.addresses().stream().noneMatch(CniFixture::tentative),
        "the pod namespace to settle");
  }

  private static boolean tentative(String address) {
    return address.matches(".* flags \\[.*\\btentative\\b.*");
  }

  /** eth0 is down, or up with its carrier (its peer is up from the set-up on). */
  private static boolean carrierSettled(State s) {
    return s.eth0() == null
        || !s.eth0().flags().contains("UP")
        || !s.eth0().flags().contains("NO-CARRIER");
  }

  private State await(Predicate<State> settled, String what) {
    long end = System.nanoTime() + SETTLE_NANOS;
    while (true) {
      State s = podState();
      if (settled.test(s)) {
        return s;
      }
      if (System.nanoTime() > end) {
        throw new IllegalStateException("waited 10 s for " + what + ": " + s);
      }
      try {
        Thread.sleep(50);
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
