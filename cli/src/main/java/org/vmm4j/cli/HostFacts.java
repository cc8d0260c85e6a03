package org.vmm4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.vmm4j.core.HostCapabilities;

/**
 * The host facts {@code run} and {@code demo} give the command-line builder.
 *
 * <p>LEAD: {@link #tcgUntilHostCheck(String)} stands in for {@code org.vmm4j.core.host.HostCheck},
 * written in parallel: it never reports KVM usable (so {@code Accelerator auto} means TCG) and
 * reads the other facts itself. Replace its one call site in {@link #forQemu(String)} with the host
 * check's {@code HostCapabilities} once it is merged.
 */
final class HostFacts {
  private HostFacts() {}

  /** The capabilities for a sandbox run by {@code qemu}. */
  static HostCapabilities forQemu(String qemu) {
    return tcgUntilHostCheck(qemu);
  }

  /** Everything but KVM (reported unusable): seccomp, vhost-vsock, nesting, host memory. */
  static HostCapabilities tcgUntilHostCheck(String qemu) {
    try {
      return new HostCapabilities(
          false,
          qemuHelp(qemu).contains("-sandbox"),
          Files.exists(Path.of("/dev/vhost-vsock")),
          HostCapabilities.runningOnVmm(Files.readString(Path.of("/proc/cpuinfo"))),
          HostCapabilities.memTotalMiB(Files.readString(Path.of("/proc/meminfo"))));
    } catch (IOException e) {
      throw CliException.failed("host check: " + e.getMessage(), e);
    }
  }

  private static String qemuHelp(String qemu) throws IOException {
    Process p = new ProcessBuilder(qemu, "-help").redirectErrorStream(true).start();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
