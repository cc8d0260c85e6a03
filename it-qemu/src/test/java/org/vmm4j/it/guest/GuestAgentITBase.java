package org.vmm4j.it.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.vmm4j.testguest.AgentChannel;
import org.vmm4j.testguest.AgentClient;
import org.vmm4j.testguest.AgentException;
import org.vmm4j.testguest.AgentReply;
import org.vmm4j.testguest.GuestBlockDevice;
import org.vmm4j.testguest.GuestCpus;
import org.vmm4j.testguest.GuestMemory;
import org.vmm4j.testguest.GuestNetInterface;
import org.vmm4j.testguest.GuestPciDevice;

/**
 * One TCG guest per machine type, with devices placed by {@code bus=}/{@code addr=} on the command
 * line; the agent is asked over hvc0 (Kata's console), a virtio-serial port and ttyS1. The last
 * test powers the guest off through the agent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class GuestAgentITBase {
  static final int DISK_BYTES = 1 << 20;
  static final String MAC = "52:54:00:12:34:01";

  TestVm vm;
  AgentClient agent;
  Duration bootToReady;

  abstract String machine();

  /** Devices (bridges, disks {@code d1.raw}, {@code d2.raw}, a NIC with {@link #MAC}). */
  abstract List<String> devices(Path dir) throws IOException;

  /** Disk serial to the PCI path its command-line addresses give. */
  abstract Map<String, String> expectedDiskPaths();

  abstract String expectedNicPath();

  @BeforeAll
  void boot() throws IOException {
    vm =
        TestVm.start(
            machine(),
            this::devices,
            AgentChannel.kernelParameter(
                AgentChannel.hvc0(), AgentChannel.virtioPort("ctl"), AgentChannel.serial("ttyS1")));
    agent = vm.agent(vm.consoleSock(), TestVm.BOOT_TIMEOUT);
    bootToReady = Duration.ofNanos(System.nanoTime() - vm.startNanos);
    System.err.printf(
        "%s: boot to agent READY %.2f s (guest uptime %s s)%n",
        machine(), bootToReady.toNanos() / 1e9, agent.readyUptime());
  }

  @AfterAll
  void shutdown() throws Exception {
    if (agent != null) {
      agent.close();
    }
    if (vm != null) {
      vm.close();
    }
  }

  static void disk(Path dir, String name, long seed) throws IOException {
    byte[] b = new byte[DISK_BYTES];
    new Random(seed).nextBytes(b);
    Files.write(dir.resolve(name), b);
  }

  static List<String> blk(Path dir, String id, String file) {
    return List.of(
        "-blockdev",
        "driver=raw,node-name=" + id + ",file.driver=file,file.filename=" + dir.resolve(file));
  }

  @Test
  @Order(1)
  void bootsToTheAgentWithin30sOnTheKataConsole() {
    assertThat(bootToReady).isLessThan(TestVm.BOOT_TIMEOUT);
    assertThat(Double.parseDouble(agent.readyUptime())).isPositive();
    assertThat(agent.ping()).isTrue();
  }

  @Test
  @Order(2)
  void everyInventoryCommandAnswers() {
    List<GuestPciDevice> pci = agent.pciDevices();
    assertThat(pci).anyMatch(d -> d.vendor().equals("0x1af4") && d.driver().isPresent());
    List<GuestBlockDevice> blk = agent.blockDevices();
    assertThat(blk).isNotEmpty().allMatch(b -> b.sectors() == DISK_BYTES / 512);
    List<GuestNetInterface> net = agent.netInterfaces();
    assertThat(net).extracting(GuestNetInterface::name).contains("lo");
    GuestCpus cpus = agent.cpus();
    assertThat(cpus.online()).isEqualTo("0");
    assertThat(cpus.nproc()).isEqualTo(1);
    assertThat(agent.onlineCpus()).isEmpty();
    GuestMemory mem = agent.memory();
    assertThat(mem.memTotalKib()).isBetween(300_000L, 524_288L);
    assertThat(mem.blocksOffline()).isZero();
    assertThat(mem.autoOnline()).isEqualTo("offline");
    assertThat(agent.onlineMemory("online_movable")).isEmpty();
    agent.rescanPci();
    assertThat(agent.pciPathOf("/sys/class/net/lo")).isEmpty();
    assertThat(agent.dmesg(5)).hasSize(5);
    assertThat(agent.uptime()).isGreaterThan(Double.parseDouble(agent.readyUptime()));
    AgentReply sh = agent.sh("echo out; echo err >&2; exit 3");
    assertThat(sh.lines()).containsExactly("out", "err");
    assertThat(sh.rc()).isEqualTo(3);
    assertThat(agent.call("no_such_command").rc()).isEqualTo(127);
  }

  @Test
  @Order(3)
  void pciPathsEqualTheCommandLineAddresses() {
    Map<String, String> bySerial =
        agent.blockDevices().stream()
            .filter(b -> b.serial().isPresent())
            .collect(Collectors.toMap(b -> b.serial().get(), b -> b.pciPath().orElse("-")));
    assertThat(bySerial).containsAllEntriesOf(expectedDiskPaths());
    GuestNetInterface nic =
        agent.netInterfaces().stream().filter(n -> n.mac().equals(MAC)).findFirst().orElseThrow();
    assertThat(nic.pciPath()).contains(expectedNicPath());
    // the agent's pci listing and pcipath command agree with blk
    for (GuestBlockDevice b : agent.blockDevices()) {
      assertThat(agent.pciPathOf(b.sysfsPath())).isEqualTo(b.pciPath());
    }
    assertThat(agent.pciDevices())
        .extracting(GuestPciDevice::pciPath)
        .containsAll(expectedDiskPaths().values());
  }

  @Test
  @Order(4)
  void blockDevicesReadAndWriteThrough() throws Exception {
    GuestBlockDevice d1 = bySerial("ser-d1");
    byte[] host = Files.readAllBytes(vm.dir.resolve("d1.raw"));
    assertThat(agent.readBlock(d1.name(), 4096, 64))
        .isEqualTo(Arrays.copyOfRange(host, 4096, 4160));
    assertThat(agent.blockSha256(d1.name(), 0, DISK_BYTES))
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(host)));
    byte[] data = "written by the guest agent".getBytes();
    agent.writeBlock(d1.name(), 8192, data);
    byte[] after = Files.readAllBytes(vm.dir.resolve("d1.raw"));
    assertThat(Arrays.copyOfRange(after, 8192, 8192 + data.length)).isEqualTo(data);
  }

  @Test
  @Order(5)
  void addressAndPingThroughUserNetworking() {
    String ifname =
        agent.netInterfaces().stream()
            .filter(n -> n.mac().equals(MAC))
            .findFirst()
            .orElseThrow()
            .name();
    agent.ifaddr(ifname, "10.0.2.15/24");
    assertThat(agent.pingHost("10.0.2.2", 2)).isTrue();
    assertThat(agent.pingHost("10.0.3.99", 1)).isFalse();
  }

  @Test
  @Order(6)
  void everyChannelAnswersAndTakesReconnections() {
    // QEMU serves one client per chardev socket: let go of the console first.
    agent.close();
    for (Path sock : List.of(vm.consoleSock(), vm.ctlSock(), vm.ttyS1Sock())) {
      for (int i = 0; i < 2; i++) {
        try (AgentClient c = vm.agent(sock, Duration.ofSeconds(10))) {
          assertThat(c.ping()).as(sock + " connection " + i).isTrue();
          assertThat(c.call("uptime").lines()).hasSize(1);
        }
      }
    }
    agent = vm.agent(vm.consoleSock(), Duration.ofSeconds(10));
    assertThat(agent.ping()).isTrue();
  }

  @Test
  @Order(7)
  void timedOutCallIsAClearErrorAndTheClientRecovers() {
    assertThatThrownBy(() -> agent.call("sh sleep 2; echo late", Duration.ofMillis(500)))
        .isInstanceOf(AgentException.class)
        .hasMessageStartingWith(
            "guest agent on "
                + vm.consoleSock()
                + " did not answer 'sh sleep 2; echo late' within 0.5s");
    assertThat(agent.call("ping", Duration.ofSeconds(10)).lines()).containsExactly("pong");
  }

  @Test
  @Order(100)
  void powerOffEndsQemu() throws Exception {
    agent.poweroff();
    assertThat(vm.process.waitFor(20, TimeUnit.SECONDS)).as(vm.diagnostics()).isTrue();
    assertThat(vm.process.exitValue()).isZero();
  }

  GuestBlockDevice bySerial(String serial) {
    return agent.blockDevices().stream()
        .filter(b -> b.serial().equals(java.util.Optional.of(serial)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no disk with serial " + serial));
  }
}
