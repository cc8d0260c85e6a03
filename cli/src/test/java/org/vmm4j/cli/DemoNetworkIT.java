package org.vmm4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.HostCapabilities;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.core.api.SandboxSpec;
import org.vmm4j.network.NetNs;
import org.vmm4j.persist.FsStore;
import org.vmm4j.testguest.AgentClient;
import org.vmm4j.testguest.GuestArtifacts;
import org.vmm4j.testguest.TestGuest;

/**
 * The demo's network step on the demo's own sandbox (q35, TCG, the test guest): a pod veth made
 * like a CNI plugin would, hot-plugged, the guest pinging the other end, unplugged, the demo's
 * namespaces gone afterwards.
 */
class DemoNetworkIT {
  @TempDir Path root;

  @Test
  void theGuestPingsTheOtherEndOfTheHotPluggedVeth() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")), "no QEMU");
    assumeTrue(DemoNetwork.missing().isEmpty(), DemoNetwork.missing().orElse(""));
    GuestArtifacts guest = TestGuest.withDefaults().ensureBuilt(System.err::println);
    HypervisorConfig config =
        DemoCommand.config(guest).editLive(l -> l.accelerator(org.vmm4j.core.api.Accelerator.TCG));
    HostCapabilities host = new HostCapabilities(false, false, false, true, 4096);
    FsStore store = new FsStore(root);
    List<String> progress = new ArrayList<>();
    Sandbox s =
        Sandbox.start(store, SandboxSpec.of("demo-net", RuntimeConfig.shimV2(config, false), host));
    try (AgentClient agent =
        AgentClient.connect(
            s.paths().consoleSocket(),
            DemoCommand.BOOT_TIMEOUT,
            AgentClient.DEFAULT_CALL_TIMEOUT)) {
      DemoNetwork.Outcome o = DemoNetwork.run(s, agent, progress::add);
      assertThat(o.skipped()).isEmpty();
      assertThat(o.pinged()).as(String.join("\n", progress)).isTrue();
      assertThat(o.unplugged()).isTrue();
      assertThat(o.guestPciPath()).isEqualTo(o.endpoint().pciPath().toString());
      StringWriter out = new StringWriter();
      o.print(new PrintWriter(out));
      assertThat(out.toString())
          .startsWith("network: hot-plugged eth0 at PCI path " + o.endpoint().pciPath())
          .contains("pinged 10.99.0.1 (the veth's other end): answered; unplugged: yes");
      assertThat(s.network().endpoints()).isEmpty();
    } finally {
      s.delete();
    }
    String tag = "vmm4j-demo-demo-net";
    assertThat(NetNs.exists(tag + "-pod")).isFalse();
    assertThat(NetNs.exists(tag + "-peer")).isFalse();
  }
}
