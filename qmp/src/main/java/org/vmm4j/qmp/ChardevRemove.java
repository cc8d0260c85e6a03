package org.vmm4j.qmp;

import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code chardev-remove}: Removes a character device backend. */
public record ChardevRemove(String id) implements Command<Void> {
  public ChardevRemove {
    Objects.requireNonNull(id, "id");
  }

  @Override
  public String commandName() {
    return "chardev-remove";
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
