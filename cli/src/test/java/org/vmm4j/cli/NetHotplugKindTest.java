package org.vmm4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DeviceKind;
import org.vmm4j.core.api.NetAttachRequest;
import org.vmm4j.network.InterworkingModel;
import org.vmm4j.network.MacAddress;
import org.vmm4j.persist.PciPath;
import picocli.CommandLine;

/** The {@code net} and {@code vhost-user-net} kinds: options, refusals, the lines they print. */
class NetHotplugKindTest {
  @TempDir Path root;

  private CliRun cli(String... args) {
    return CliRun.in(root, args);
  }

  /** The kind as picocli fills it for {@code hotplug sb KIND args...}, checked. */
  private static <K extends HotplugKind> K parsed(Class<K> type, String... args) {
    CommandLine top = new CommandLine(new Vmm4j(CliContext.system()));
    String[] all = new String[args.length + 2];
    all[0] = "hotplug";
    all[1] = "sb";
    System.arraycopy(args, 0, all, 2, args.length);
    CommandLine.ParseResult r = top.parseArgs(all);
    K k = type.cast(r.subcommand().subcommand().commandSpec().userObject());
    k.check();
    return k;
  }

  @Test
  void netOptions() {
    assertThat(parsed(NetHotplugKind.class, "net").request()).isEqualTo(NetAttachRequest.all());
    assertThat(
            parsed(
                    NetHotplugKind.class,
                    "net",
                    "--netns",
                    "/proc/self/ns/net", // a namespace file that exists
                    "--interface",
                    "eth1",
                    "--model",
                    "macvtap")
                .request())
        .isEqualTo(
            NetAttachRequest.all()
                .withNetns("/proc/self/ns/net")
                .withInterface("eth1")
                .withModel(InterworkingModel.MACVTAP));
  }

  @Test
  void badNetOptionsAreExit2BeforeTheSandboxIsLookedUp() {
    CliRun r = cli("hotplug", "sb", "net", "--model", "none");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("vmm4j hotplug sb net: --model none: tcfilter or macvtap\n");
    r = cli("hotplug", "sb", "net", "--bridge", "x");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("Unknown options: '--bridge', 'x'");
    r = cli("hotplug", "sb", "net", "--netns", "");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("hotplug sb net: --netns \"\": empty namespace name");
    assertThat(root.resolve("vm")).doesNotExist();
  }

  @Test
  void vhostUserNetOptions() {
    VhostUserNetHotplugKind k =
        parsed(
            VhostUserNetHotplugKind.class,
            "vhost-user-net",
            "--socket",
            "/run/vu.sock",
            "--mac",
            "02:00:00:00:00:01");
    assertThat(k.socket).isEqualTo(Path.of("/run/vu.sock"));
    assertThat(k.guestMac()).hasValue(MacAddress.parse("02:00:00:00:00:01"));
    assertThat(parsed(VhostUserNetHotplugKind.class, "vhost-user-net", "--socket", "/s").guestMac())
        .isEmpty();
    CliRun r = cli("hotplug", "sb", "vhost-user-net", "--mac", "02:00:00:00:00:01");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--socket");
    r = cli("hotplug", "sb", "vhost-user-net", "--socket", "/s", "--mac", "zz");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("vmm4j hotplug sb vhost-user-net: --mac zz: not a MAC address\n");
    r = cli("hotplug", "sb", "vhost-user-net", "--socket", "/s", "--mac", "01:00:5e:00:00:01");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--mac 01:00:5e:00:00:01: a multicast MAC");
  }

  @Test
  void anUnknownSandboxIsExit1() {
    CliRun r = cli("hotplug", "nope", "net");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("vmm4j hotplug nope net: no such sandbox");
  }

  @Test
  void linesAreNamePciPathDetailsWithTheGuestMac() {
    Device veth =
        new Device(
            "eth0",
            DeviceKind.NETWORK,
            List.of(new Device.QemuDevice("virtio-u1", PciPath.parse("02/01"))),
            details(
                "mac", "0a:58:0a:58:00:05",
                "type", "virtual",
                "model", "tcfilter",
                "tap", "tap0_kata",
                "queues", "2"));
    Device vhu =
        new Device(
            "vhost-user-0",
            DeviceKind.VHOST_USER_NET,
            List.of(new Device.QemuDevice("virtio-vhost-user-0", PciPath.NIL)),
            details("mac", "-", "type", "vhost-user"));
    assertThat(veth.lines())
        .containsExactly(
            "eth0 02/01 mac=0a:58:0a:58:00:05 type=virtual model=tcfilter tap=tap0_kata queues=2");
    assertThat(vhu.lines()).containsExactly("vhost-user-0 - mac=- type=vhost-user");
    assertThat(veth.kind().cliName()).isEqualTo(NetHotplugKind.KIND);
    assertThat(vhu.kind().cliName()).isEqualTo(VhostUserNetHotplugKind.KIND);
  }

  /** Details in the order given (key, value, key, value, ...). */
  static Map<String, String> details(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}
