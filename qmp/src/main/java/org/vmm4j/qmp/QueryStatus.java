package org.vmm4j.qmp;

import tools.jackson.databind.JsonNode;

/** {@code query-status}: QEMU's run state. */
public record QueryStatus() implements Command<StatusInfo> {
  @Override
  public String commandName() {
    return "query-status";
  }

  @Override
  public StatusInfo result(JsonNode returned) {
    return Json.convert(returned, StatusInfo.class);
  }
}
