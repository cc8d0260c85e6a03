package org.vmm4j.qmp;

import tools.jackson.databind.JsonNode;

/**
 * {@code cont}: Resumes the vCPUs (QEMU sends the {@code RESUME} event, before the reply); also
 * leaves {@code -S} prelaunch.
 */
public record Cont() implements Command<Void> {
  @Override
  public String commandName() {
    return "cont";
  }

  @Override
  public Void result(JsonNode returned) {
    return null;
  }
}
