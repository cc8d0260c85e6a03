package org.vmm4j.network;

import java.time.Duration;

/**
 * Where netlink messages go: a real {@code NETLINK_ROUTE} socket ({@link Netlink#open()}) or, in
 * tests, the recording fake of this module's tests ({@code FakeNetlinkSocket}). A transport is not
 * thread-safe; its owner ({@link Netlink}) serialises access.
 */
public interface NetlinkTransport extends AutoCloseable {
  /** Sends one datagram holding one or more complete netlink messages. */
  void send(byte[] datagram);

  /**
   * Receives one datagram (one or more messages), waiting at most {@code timeout}.
   *
   * @throws NetlinkException.Timeout if nothing arrived in time
   */
  byte[] receive(Duration timeout);

  /** The port id the kernel gave this socket (the {@code nlmsg_pid} of its replies). */
  int portId();

  /** A short description for messages, e.g. {@code netlink route socket in netns vmm4j-t1}. */
  String description();

  @Override
  void close();
}
