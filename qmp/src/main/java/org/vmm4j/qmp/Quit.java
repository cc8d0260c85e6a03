package org.vmm4j.qmp;

import tools.jackson.databind.JsonNode;

/**
 * {@code quit}: QEMU exits. The reply races the end of the connection; the client treats the
 * connection closing while {@code quit} is in flight as success.
 */
public record Quit() implements Command<Void> {
  @Override
  public String commandName() {
    return "quit";
  }

  @Override
  public Void result(JsonNode returned) {
    return null;
  }
}
