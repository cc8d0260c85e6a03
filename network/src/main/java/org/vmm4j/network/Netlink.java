package org.vmm4j.network;

import java.time.Duration;
import java.util.List;

/**
 * An rtnetlink connection: links, addresses, routes and traffic control in one network namespace,
 * the one of the thread that opened it ({@link #open()}), for its whole life. Inside a {@link
 * NetNs}, use {@link NetNs.Context#netlink()} instead of opening one. Thread-safe (one request at a
 * time); every request waits at most {@link #timeout()}.
 */
public final class Netlink implements AutoCloseable {
  /** How long a request may take, from sending to the kernel's final ack. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private final RtnlSession session;
  private final Links links;
  private final Addresses addresses;
  private final Routes routes;
  private final TrafficControl tc;

  private Netlink(RtnlSession session) {
    this.session = session;
    this.links = new Links(session);
    this.addresses = new Addresses(session);
    this.routes = new Routes(session);
    this.tc = new TrafficControl(session);
  }

  /** Opens a route socket in the calling thread's network namespace. */
  public static Netlink open() {
    return open("the caller's netns", DEFAULT_TIMEOUT);
  }

  /**
   * Opens a route socket in the calling thread's network namespace.
   *
   * @param where the namespace, for messages
   * @param timeout the deadline of each request
   */
  public static Netlink open(String where, Duration timeout) {
    return over(NativeNetlinkSocket.open(where), timeout);
  }

  /** A connection over any transport (tests pass the recording fake); takes ownership of it. */
  public static Netlink over(NetlinkTransport transport, Duration timeout) {
    return new Netlink(new RtnlSession(transport, timeout));
  }

  public Links links() {
    return links;
  }

  public Addresses addresses() {
    return addresses;
  }

  public Routes routes() {
    return routes;
  }

  public TrafficControl tc() {
    return tc;
  }

  /** The neighbour (ARP / NDP) entries of every link, IPv4 and IPv6 ({@code ip neigh}). */
  public List<Neighbor> neighbors() {
    return session.dump(NeighCodec.dump(), "neighbours").stream()
        .filter(m -> m.type() == NlConst.RTM_NEWNEIGH)
        .map(NeighCodec::decode)
        .filter(n -> n.ip() != null)
        .toList();
  }

  public Duration timeout() {
    return session.timeout();
  }

  /** Closes the socket. */
  @Override
  public void close() {
    session.close();
  }
}
