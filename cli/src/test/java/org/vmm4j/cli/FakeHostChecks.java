package org.vmm4j.cli;

import org.vmm4j.core.host.HostCheck;
import org.vmm4j.testing.host.FakeHost;

/** Host checks of a {@link FakeHost}, for the commands that run one. */
final class FakeHostChecks {
  private FakeHostChecks() {}

  /** A check of {@code host}: its root, its QEMU, its {@code usr/bin} as search path. */
  static HostCheck.Builder check(FakeHost host) {
    return HostCheck.builder()
        .hostRoot(host.root())
        .qemu(host.qemuPath())
        .searchPath(host.searchPath());
  }
}
