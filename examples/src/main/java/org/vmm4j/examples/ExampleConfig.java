package org.vmm4j.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import org.vmm4j.core.ConfigLoader;
import org.vmm4j.core.api.HostCapabilities;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.core.host.HostCheck;
import org.vmm4j.core.host.HostReport;
import org.vmm4j.testguest.GuestArtifacts;
import org.vmm4j.testguest.TestGuest;

/**
 * The example's sandbox configuration and host: a config loaded from a file, or one built with the
 * builder API around the test guest; then the host check for the QEMU binary it names.
 */
final class ExampleConfig {
  private ExampleConfig() {}

  /**
   * Loads {@code file} ({@code .json}: vmm4j's JSON form by Go field names; {@code .toml}: a Kata
   * {@code configuration.toml}), validated with this host's facts.
   */
  static RuntimeConfig load(Path file) {
    return ConfigLoader.load(file);
  }

  /**
   * The test guest on q35: 1 of 2 vCPUs, 256 MiB, virtio-blk disks. A disk goes on the pci-bridge
   * (Kata's place for it); with native PCIe hotplug the bridge's slots use SHPC rather than ACPI
   * hotplug, and the two PCIe root ports native hotplug, so a slot the guest has not powered yet
   * gives its device back at once. The accelerator is left to the host check (auto).
   */
  static RuntimeConfig buildForTestGuest(PrintStream out) {
    GuestArtifacts guest = TestGuest.withDefaults().ensureBuilt(out::println);
    HypervisorConfig config =
        HypervisorConfig.of(
                HypervisorConfig.kataBuilder()
                    .kernelPath(guest.vmlinux().toString())
                    .initrdPath(guest.initramfs().toString())
                    .hypervisorMachineType("q35")
                    .numVcpus(1)
                    .defaultMaxVcpus(2)
                    .memorySize(256)
                    .pcieRootPort(2)
                    .blockDeviceDriver(HypervisorConfig.VIRTIO_BLK)
                    .build())
            .editLive(live -> live.nativePcieHotplug(true));
    // Applies Kata's defaults (HypervisorPath, DefaultBridges, ...) and checks every rule now,
    // rather than at start; Sandbox.start validates again either way.
    return RuntimeConfig.shimV2(ConfigLoader.validate(config), false);
  }

  /**
   * The host check for the config's QEMU binary. Without a KVM probe it cannot know that KVM runs a
   * guest here, so {@code Accelerator} auto means TCG.
   *
   * @throws org.vmm4j.core.api.HostException when that QEMU is missing or unusable
   */
  static HostCapabilities host(RuntimeConfig config, PrintStream out) {
    Path qemu = Path.of(config.hypervisor().kata().hypervisorPath());
    HostReport report = HostCheck.builder().qemu(qemu).build().run();
    report.requireQemu();
    out.println("host: QEMU " + report.qemu().version() + ", " + report.acceleratorReason());
    return report.capabilities();
  }
}
