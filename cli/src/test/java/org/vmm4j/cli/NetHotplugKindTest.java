package org.vmm4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.AttachedEndpoint;
import org.vmm4j.core.NetAttachRequest;
import org.vmm4j.network.InterworkingModel;
import org.vmm4j.network.MacAddress;
import org.vmm4j.persist.PciPath;

/** The {@code net} and {@code vhost-user-net} kinds' options and the lines they print. */
class NetHotplugKindTest {
  static final AttachedEndpoint VETH =
      new AttachedEndpoint(
          "eth0",
          "virtual",
          PciPath.parse("02/01"),
          "0a:58:0a:58:00:05",
          "virtio-u1",
          "tcfilter",
          "tap0_kata",
          2);
  static final AttachedEndpoint VHU =
      new AttachedEndpoint(
          "vhost-user-0", "vhost-user", PciPath.NIL, "", "virtio-vhost-user-0", "", "", 0);

  @Test
  void netOptions() {
    assertThat(NetHotplugKind.parse().request()).isEqualTo(NetAttachRequest.all());
    assertThat(
            NetHotplugKind.parse("--netns", "pod1", "--interface", "eth1", "--model", "macvtap")
                .request())
        .isEqualTo(
            NetAttachRequest.all()
                .withNetns("pod1")
                .withInterface("eth1")
                .withModel(InterworkingModel.MACVTAP));
  }

  @Test
  void badNetOptionsAreBadInput() {
    assertThatThrownBy(() -> NetHotplugKind.parse("--model", "none"))
        .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessage("hotplug net: --model none: tcfilter or macvtap");
    assertThatThrownBy(() -> NetHotplugKind.parse("--bridge", "x"))
        .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessageStartingWith("hotplug net: Unknown options: '--bridge', 'x'");
    assertThatThrownBy(() -> NetHotplugKind.parse("--netns", ""))
        .hasMessage("hotplug net: --netns: empty namespace name");
  }

  @Test
  void vhostUserNetOptions() {
    VhostUserNetHotplugKind k =
        VhostUserNetHotplugKind.parse("--socket", "/run/vu.sock", "--mac", "02:00:00:00:00:01");
    assertThat(k.socket).isEqualTo(Path.of("/run/vu.sock"));
    assertThat(k.guestMac()).hasValue(MacAddress.parse("02:00:00:00:00:01"));
    assertThat(VhostUserNetHotplugKind.parse("--socket", "/s").guestMac())
        .isEqualTo(Optional.empty());
    assertThatThrownBy(() -> VhostUserNetHotplugKind.parse("--mac", "02:00:00:00:00:01"))
        .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessageContaining("--socket");
    assertThatThrownBy(() -> VhostUserNetHotplugKind.parse("--socket", "/s", "--mac", "zz"))
        .hasMessage("hotplug vhost-user-net: --mac zz: not a MAC address");
    assertThatThrownBy(
            () -> VhostUserNetHotplugKind.parse("--socket", "/s", "--mac", "01:00:5e:00:00:01"))
        .hasMessage("hotplug vhost-user-net: --mac 01:00:5e:00:00:01: a multicast MAC");
  }

  @Test
  void linesAreNamePciPathDetailsWithTheGuestMac() {
    StringWriter text = new StringWriter();
    NetHotplugOutput.print(new PrintWriter(text), List.of(VETH, VHU), false);
    assertThat(text.toString())
        .isEqualTo(
            "eth0 02/01 mac=0a:58:0a:58:00:05 type=virtual model=tcfilter tap=tap0_kata"
                + " queues=2\n"
                + "vhost-user-0 - mac=- type=vhost-user\n");
    StringWriter json = new StringWriter();
    NetHotplugOutput.print(new PrintWriter(json), List.of(VETH), true);
    assertThat(json.toString())
        .isEqualTo(
            "[{\"id\":\"eth0\",\"pciPath\":\"02/01\",\"mac\":\"0a:58:0a:58:00:05\","
                + "\"type\":\"virtual\",\"deviceId\":\"virtio-u1\",\"model\":\"tcfilter\","
                + "\"tap\":\"tap0_kata\",\"queues\":2}]\n");
  }
}
