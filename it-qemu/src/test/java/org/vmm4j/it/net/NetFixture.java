package org.vmm4j.it.net;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.HostCapabilities;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.core.api.SandboxSpec;
import org.vmm4j.testguest.AgentClient;
import org.vmm4j.testguest.GuestArtifacts;
import org.vmm4j.testguest.TestGuest;

/** The test guest on q35 under TCG, and its agent. */
final class NetFixture {
  static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");
  static final Duration BOOT_TIMEOUT = Duration.ofSeconds(60);

  private NetFixture() {}

  static HypervisorConfig config() {
    assumeTrue(Files.isExecutable(QEMU), "no " + QEMU + " (install qemu-system-x86)");
    GuestArtifacts g = TestGuest.withDefaults().ensureBuilt(System.err::println);
    return HypervisorConfig.of(
            HypervisorConfig.kataBuilder()
                .hypervisorPath(QEMU.toString())
                .kernelPath(g.vmlinux().toString())
                .initrdPath(g.initramfs().toString())
                .hypervisorMachineType("q35")
                .numVcpus(2)
                .defaultMaxVcpus(4)
                .memorySize(384)
                .build())
        .editLive(l -> l.accelerator(Accelerator.TCG));
  }

  static SandboxSpec spec(String id, HypervisorConfig config) {
    return SandboxSpec.of(
        id,
        RuntimeConfig.shimV2(config, false),
        new HostCapabilities(false, false, false, true, 4096));
  }

  static AgentClient agent(Path consoleSocket) {
    return AgentClient.connect(consoleSocket, BOOT_TIMEOUT, AgentClient.DEFAULT_CALL_TIMEOUT);
  }
}
