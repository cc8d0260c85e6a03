package org.vmm4j.qmp;

import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code netdev_del}: Removes a network backend. */
public record NetdevDel(String id) implements Command<Void> {
  public NetdevDel {
    Objects.requireNonNull(id, "id");
  }

  @Override
  public String commandName() {
    return "netdev_del";
  }

  @Override
  public ObjectNode arguments() {
    return Json.object().put("id", id);
  }

  @Override
  public Void result(JsonNode returned) {
    return null;
  }
}
