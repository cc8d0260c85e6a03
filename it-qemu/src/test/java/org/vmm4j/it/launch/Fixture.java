package org.vmm4j.it.launch;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.HostCapabilities;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.core.api.SandboxEvent.QemuExited;
import org.vmm4j.core.api.SandboxListener;
import org.vmm4j.core.api.SandboxSpec;
import org.vmm4j.persist.FsStore;
import org.vmm4j.testguest.AgentClient;
import org.vmm4j.testguest.GuestArtifacts;
import org.vmm4j.testguest.TestGuest;

/** The test guest, this host's capabilities, configs, and checks that nothing was left behind. */
final class Fixture {
  static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");
  static final Duration BOOT_TIMEOUT = Duration.ofSeconds(60);
  private static GuestArtifacts guest;
  private static HostCapabilities host;

  private Fixture() {}

  /** The test guest, built once per JVM; skips when QEMU is not installed. */
  static synchronized GuestArtifacts guest() {
    assumeTrue(Files.isExecutable(QEMU), "no " + QEMU + " (install qemu-system-x86)");
    if (guest == null) {
      guest = TestGuest.withDefaults().ensureBuilt(System.err::println);
    }
    return guest;
  }

  /** This host, with KVM treated as unusable (the configs ask for TCG anyway). */
  static synchronized HostCapabilities host() {
    if (host == null) {
      try {
        host =
            new HostCapabilities(
                false,
                qemuHelp().contains("-sandbox"),
                Files.exists(Path.of("/dev/vhost-vsock")),
                HostCapabilities.runningOnVmm(Files.readString(Path.of("/proc/cpuinfo"))),
                HostCapabilities.memTotalMiB(Files.readString(Path.of("/proc/meminfo"))));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return host;
  }

  private static String qemuHelp() throws IOException {
    Process p = new ProcessBuilder(QEMU.toString(), "-help").redirectErrorStream(true).start();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  /** The test guest on {@code machine} under TCG. */
  static HypervisorConfig config(String machine, long vcpus, long memoryMiB) {
    GuestArtifacts g = guest();
    return HypervisorConfig.of(
            HypervisorConfig.kataBuilder()
                .hypervisorPath(QEMU.toString())
                .kernelPath(g.vmlinux().toString())
                .initrdPath(g.initramfs().toString())
                .hypervisorMachineType(machine)
                .numVcpus(vcpus)
                .defaultMaxVcpus(4)
                .memorySize(memoryMiB)
                .build())
        .editLive(l -> l.accelerator(Accelerator.TCG));
  }

  static SandboxSpec spec(String id, HypervisorConfig config) {
    return SandboxSpec.of(id, RuntimeConfig.shimV2(config, false), host());
  }

  /** The agent on the sandbox's console, once the guest has booted. */
  static AgentClient agent(Path consoleSocket) {
    return AgentClient.connect(consoleSocket, BOOT_TIMEOUT, AgentClient.DEFAULT_CALL_TIMEOUT);
  }

  /**
   * Pids of processes whose command line has {@code -name sandbox-<id>} and names a socket in
   * {@code store}'s VM directory of that id (QEMUs of that sandbox of that store: a concurrent run
   * of the same test elsewhere on the host has another store).
   */
  static List<Long> qemusOf(FsStore store, String id) throws IOException {
    String vmDir = store.root().resolve("vm").resolve(id).toString();
    List<Long> out = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.toList()) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        byte[] cmd;
        try {
          cmd = Files.readAllBytes(p.resolve("cmdline"));
        } catch (IOException e) {
          continue;
        }
        String text = new String(cmd, StandardCharsets.UTF_8);
        if (text.contains("-name\0sandbox-" + id + "\0") && text.contains(vmDir)) {
          out.add(Long.parseLong(name));
        }
      }
    }
    return out;
  }

  /** Whether {@code pid} has exited: gone, or a zombie its parent has not reaped yet. */
  static boolean exited(long pid) {
    return org.vmm4j.core.internal.vm.ProcStat.read(pid).map(s -> s.exited()).orElse(true);
  }

  /** A listener that gives {@code exits} every {@link QemuExited} (QEMU's, virtiofsd's). */
  static SandboxListener exits(Consumer<QemuExited> exits) {
    return e -> {
      if (e instanceof QemuExited q) {
        exits.accept(q);
      }
    };
  }

  /** Sends {@code signal} (e.g. "KILL", "STOP") to {@code pid} with kill(1). */
  static void signal(long pid, String signal) throws Exception {
    Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new AssertionError("kill -" + signal + " " + pid + " failed");
    }
  }
}
