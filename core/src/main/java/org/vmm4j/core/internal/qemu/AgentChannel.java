package org.vmm4j.core.internal.qemu;

import java.nio.file.Path;

/**
 * How the host reaches the guest agent (as in Kata 1.13): the {@code agent.channel.0} virtio-serial
 * port on a socket QEMU serves, or vhost-vsock.
 */
public sealed interface AgentChannel {

  /** The agent's port on vsock. */
  int VSOCK_PORT = 1024;

  /**
   * {@code -device virtserialport,...,name=agent.channel.0} on {@code kata.sock}; {@code
   * AgentState.URL} is the socket's path, {@code ProxyType kataBuiltInProxy}.
   *
   * @param socket the socket QEMU serves
   */
  record Serial(Path socket) implements AgentChannel {
    public String url() {
      return socket.toString();
    }
  }

  /**
   * vhost-vsock, added before {@code cont} by {@link PreContStep.AddVhostVsock}; {@code
   * AgentState.URL} is {@code vsock://<cid>:1024}, {@code ProxyType noProxy}.
   */
  record Vsock() implements AgentChannel {
    public String url(long cid) {
      return "vsock://" + cid + ":" + VSOCK_PORT;
    }
  }
}
