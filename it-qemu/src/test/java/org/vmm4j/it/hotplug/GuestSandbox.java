package org.vmm4j.it.hotplug;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.HostCapabilities;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.testguest.AgentClient;
import org.vmm4j.testguest.GuestArtifacts;
import org.vmm4j.testguest.TestGuest;

/** The test guest's config for hotplug, this host, and waiting for what the guest sees. */
final class GuestSandbox {
  static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");
  static final Duration BOOT_TIMEOUT = Duration.ofSeconds(60);

  /** How long the guest may take to show (or drop) a device; about 10x the worst seen. */
  static final Duration GUEST_WAIT = Duration.ofSeconds(15);

  private static GuestArtifacts guest;

  private GuestSandbox() {}

  static synchronized GuestArtifacts guest() {
    assumeTrue(Files.isExecutable(QEMU), "no " + QEMU + " (install qemu-system-x86)");
    if (guest == null) {
      guest = TestGuest.withDefaults().ensureBuilt(System.err::println);
    }
    return guest;
  }

  /** This host: TCG (the config asks for it), its memory for maxmem. */
  static HostCapabilities host() {
    try {
      return new HostCapabilities(
          false,
          false,
          false,
          false,
          HostCapabilities.memTotalMiB(Files.readString(Path.of("/proc/meminfo"))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The test guest on {@code machine} under TCG: 1 of 4 vCPUs, 384 MiB in a shared memfd (for
   * vhost-user), 4 memory slots, one pci-bridge, the virtio-scsi controller (BlockDeviceDriver
   * virtio-scsi), two root ports on q35.
   */
  static HypervisorConfig config(String machine) {
    GuestArtifacts g = guest();
    return HypervisorConfig.of(
            HypervisorConfig.kataBuilder()
                .hypervisorPath(QEMU.toString())
                .kernelPath(g.vmlinux().toString())
                .initrdPath(g.initramfs().toString())
                .hypervisorMachineType(machine)
                .numVcpus(1)
                .defaultMaxVcpus(4)
                .memorySize(384)
                .memSlots(4)
                .defaultBridges(1)
                .pcieRootPort(machine.equals("q35") ? 2 : 0)
                .blockDeviceDriver("virtio-scsi")
                .build())
        .editLive(l -> l.sharedMemory(true).accelerator(Accelerator.TCG));
  }

  static AgentClient agent(Path consoleSocket) {
    return AgentClient.connect(consoleSocket, BOOT_TIMEOUT, AgentClient.DEFAULT_CALL_TIMEOUT);
  }

  /** Asks {@code ask} every 100 ms until {@code done}; fails naming {@code what} after 15 s. */
  static <T> T await(String what, Supplier<T> ask, Predicate<T> done) {
    long deadline = System.nanoTime() + GUEST_WAIT.toNanos();
    while (true) {
      T v = ask.get();
      if (done.test(v)) {
        return v;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("the guest did not show " + what + " in 15 s; last: " + v);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
