package org.vmm4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.vmm4j.core.api.HostCapabilities;
import org.vmm4j.core.host.HostReport;

/**
 * The host facts {@code run} and {@code demo} give the command-line builder: the host check ({@code
 * org.vmm4j.core.host.HostCheck}, with the test-guest KVM probe, cached per host boot) for the
 * config's QEMU binary. Its accelerator decides {@code Accelerator auto}.
 */
final class HostFacts {
  private HostFacts() {}

  /**
   * The capabilities for a sandbox run by {@code qemu}.
   *
   * @throws CliException exit 1 when there is no usable QEMU at {@code qemu}
   */
  static HostCapabilities forQemu(Vmm4j top, PrintWriter err, String qemu) {
    return check(top, err, qemu).capabilities();
  }

  /** The host check's report for {@code qemu}; exit 1 when there is no usable QEMU there. */
  static HostReport check(Vmm4j top, PrintWriter err, String qemu) {
    HostReport r = top.hostCheck(err).qemu(Path.of(qemu)).build().run();
    if (!r.qemuUsable()) {
      throw CliException.failed("host check: no usable QEMU: " + r.qemu().problem(), null);
    }
    return r;
  }
}
