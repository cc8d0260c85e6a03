package org.vmm4j.qmp;

import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code qom-get}: one property of a QOM object, as JSON, e.g. {@code path
 * /machine/peripheral/rp0}, property {@code hotplug}.
 */
public record QomGet(String path, String property) implements Command<JsonNode> {
  public QomGet {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(property, "property");
  }

  @Override
  public String commandName() {
    return "qom-get";
  }

  @Override
  public ObjectNode arguments() {
    return Json.object().put("path", path).put("property", property);
  }

  @Override
  public JsonNode result(JsonNode returned) {
    return returned;
  }
}
