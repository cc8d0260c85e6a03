package org.vmm4j.qmp;

import tools.jackson.databind.JsonNode;

/** {@code query-version}: QEMU's version. */
public record QueryVersion() implements Command<QemuVersion> {
  @Override
  public String commandName() {
    return "query-version";
  }

  @Override
  public QemuVersion result(JsonNode returned) {
    return QemuVersion.fromJson(returned);
  }
}
