package org.vmm4j.qmp;

import java.util.List;

/**
 * What QEMU announced when the connection opened: its version and the capabilities it offers (QEMU
 * 7.2 offers {@code oob}).
 */
public record QmpGreeting(QemuVersion version, List<String> capabilities) {
  public QmpGreeting {
    capabilities = List.copyOf(capabilities);
  }
}
