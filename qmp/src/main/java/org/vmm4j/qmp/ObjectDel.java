package org.vmm4j.qmp;

import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code object-del}: Removes a user-creatable object (memory backend, iothread, ...). */
public record ObjectDel(String id) implements Command<Void> {
  public ObjectDel {
    Objects.requireNonNull(id, "id");
  }

  @Override
  public String commandName() {
    return "object-del";
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
