package org.vmm4j.qmp;

import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code qmp_capabilities}: ends negotiation; sent by {@link QmpClient#connect} only. */
record QmpCapabilities(List<String> enable) implements Command<Void> {
  QmpCapabilities {
    enable = List.copyOf(enable);
  }

  @Override
  public String commandName() {
    return "qmp_capabilities";
  }

  @Override
  public ObjectNode arguments() {
    if (enable.isEmpty()) {
      return null;
    }
    ObjectNode args = Json.object();
    enable.forEach(args.putArray("enable")::add);
    return args;
  }

  @Override
  public Void result(JsonNode returned) {
    return null;
  }
}
