package org.vmm4j.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.vmm4j.testing.network.CniFixture;

/**
 * Traffic through a connected endpoint without a VM: the test reads the tap (or macvtap) queue
 * descriptors the way QEMU would. A UDP datagram sent from the peer namespace to the pod's address
 * first makes the peer ask for the pod's MAC: the ARP request must come out of a queue (CNI veth ->
 * tap), the ARP reply written into a queue must reach the peer (tap -> veth: its neighbour table
 * learns the guest MAC), and then the datagram itself must come out of a queue.
 */
class TrafficIT {
  private CniFixture cni;
  private NetNs pod;
  private NetNs peer;

  @BeforeEach
  void cniNamespace() {
    assumeTrue(CniFixture.unavailable().isEmpty(), CniFixture.unavailable().orElse(""));
    cni = new CniFixture("tr");
    pod = NetNs.open(cni.podName());
    peer = NetNs.open(cni.peerName());
  }

  @AfterEach
  void remove() {
    try {
      if (pod != null) {
        pod.close();
      }
      if (peer != null) {
        peer.close();
      }
    } finally {
      if (cni != null) {
        cni.close();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = InterworkingModel.class,
      names = {"TCFILTER", "MACVTAP"})
  void framesFlowBothWaysThroughTheQueues(InterworkingModel model) throws Exception {
    InetAddress podIp = IpPrefix.literal(CniFixture.POD_IP);
    Endpoint ep = new Endpoint.Veth(NetPair.forIndex(0, "eth0", model), "");
    try (ConnectedEndpoint c = Endpoints.connect(pod, ep, ConnectOptions.of(2))) {
      String marker = "vmm4j-" + model + "-" + System.nanoTime();
      peer.run(
          ctx -> {
            try (DatagramSocket s = new DatagramSocket()) {
              byte[] m = marker.getBytes(StandardCharsets.US_ASCII);
              s.send(new DatagramPacket(m, m.length, podIp, 9));
            }
            return null;
          });
      Optional<byte[]> arp =
          Frames.await(c.queueFds(), Frames.arpRequestFor(podIp), Duration.ofSeconds(5));
      assertThat(arp).as("ARP request for the pod IP on a queue").isPresent();
      byte[] reply = Frames.arpReply(arp.get(), c.guestMac(), podIp);
      Fds.write(c.queueFds().get(0), reply, reply.length);
      Optional<byte[]> udp =
          Frames.await(c.queueFds(), Frames.udpContaining(marker), Duration.ofSeconds(5));
      assertThat(udp).as("the UDP datagram on a queue").isPresent();
      String neigh = TestNamespaces.ip("-n", cni.peerName(), "neigh", "show", CniFixture.POD_IP);
      assertThat(neigh).contains(CniFixture.POD_MAC);
    }
  }
}
