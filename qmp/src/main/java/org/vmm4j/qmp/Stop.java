package org.vmm4j.qmp;

import tools.jackson.databind.JsonNode;

/** {@code stop}: Pauses all vCPUs (QEMU sends the {@code STOP} event, before the reply). */
public record Stop() implements Command<Void> {
  @Override
  public String commandName() {
    return "stop";
  }

  @Override
  public Void result(JsonNode returned) {
    return null;
  }
}
