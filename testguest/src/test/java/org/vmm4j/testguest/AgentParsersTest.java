package org.vmm4j.testguest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Golden agent outputs (as the guest prints them) turned into values. */
class AgentParsersTest {

  static List<String> golden(String name) throws IOException {
    try (InputStream in = AgentParsersTest.class.getResourceAsStream("golden/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }

  private static AgentReply reply(String cmd, String golden) throws IOException {
    return new AgentReply(cmd, golden(golden), 0);
  }

  @Test
  void pci() throws IOException {
    List<GuestPciDevice> d = AgentParsers.pci(reply("pci", "pci.txt"));
    assertThat(d).hasSize(5);
    assertThat(d.get(4))
        .isEqualTo(
            new GuestPciDevice(
                "0000:01:03.0",
                "0x1af4",
                "0x1001",
                "0x010000",
                Optional.of("virtio-pci"),
                "05/03",
                "/sys/devices/pci0000:00/0000:00:05.0/0000:01:03.0"));
    assertThat(d.get(0).driver()).isEmpty();
    assertThat(d.get(2).pciPath()).isEqualTo("01.3");
  }

  @Test
  void blk() throws IOException {
    List<GuestBlockDevice> b = AgentParsers.blk(reply("blk", "blk.txt"));
    assertThat(b).extracting(GuestBlockDevice::name).containsExactly("sda", "vda", "vdb");
    assertThat(b.get(0).hctl()).contains("0:0:3:0");
    assertThat(b.get(0).serial()).contains("ser-sd0");
    assertThat(b.get(0).sizeBytes()).isEqualTo(64L << 20);
    assertThat(b.get(1).pciPath()).contains("05/03");
    assertThat(b.get(1).hctl()).isEmpty();
    assertThat(b.get(2).serial()).isEmpty();
    assertThat(b.get(2).pciPath()).contains("05/04/02");
  }

  @Test
  void net() throws IOException {
    List<GuestNetInterface> n = AgentParsers.net(reply("net", "net.txt"));
    assertThat(n.get(0))
        .isEqualTo(
            new GuestNetInterface(
                "eth0",
                "52:54:00:aa:bb:01",
                "up",
                Optional.of("06/00"),
                "/sys/devices/pci0000:00/0000:00:06.0/0000:02:00.0/virtio4/net/eth0"));
    assertThat(n.get(1).pciPath()).isEmpty();
  }

  @Test
  void cpus() throws IOException {
    GuestCpus c = AgentParsers.cpus(reply("cpus", "cpus.txt"));
    assertThat(c.online()).isEqualTo("0-1");
    assertThat(c.present()).isEqualTo("0-2");
    assertThat(c.possible()).isEqualTo("0-3");
    assertThat(c.nproc()).isEqualTo(2);
    assertThat(c.perCpu()).isEqualTo(Map.of(0, true, 1, true, 2, false));
    assertThat(c.onlineCount()).isEqualTo(2);
    assertThat(c.presentCount()).isEqualTo(3);
  }

  @Test
  void mem() throws IOException {
    assertThat(AgentParsers.mem(reply("mem", "mem.txt")))
        .isEqualTo(new GuestMemory(468416, 435464, 128L << 20, 4, 2, "offline"));
  }

  @Test
  void malformedLinesAreClearErrors() {
    assertThatThrownBy(() -> AgentParsers.net(new AgentReply("net", List.of("eth0 up"), 0)))
        .isInstanceOf(AgentException.class)
        .hasMessage(
            "guest agent: cannot understand the reply to 'net': expected 5 fields in 'eth0 up'");
    assertThatThrownBy(() -> AgentParsers.mem(new AgentReply("mem", List.of("MemTotal lots"), 0)))
        .isInstanceOf(AgentException.class)
        .hasMessageContaining("MemTotal is not a number: 'lots'");
    assertThatThrownBy(() -> AgentParsers.cpus(new AgentReply("cpus", List.of("cpu0 1"), 0)))
        .hasMessageContaining("no 'online' line");
  }
}
