package org.vmm4j.qmp;

import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code object-add}: {@code {"qom-type":TYPE,"id":ID, ...properties}} (QEMU 6+ flat form), e.g. a
 * {@code memory-backend-ram} with {@code size}.
 */
public record ObjectAdd(String qomType, String id, ObjectNode properties) implements Command<Void> {
  public ObjectAdd {
    Objects.requireNonNull(qomType, "qomType");
    Objects.requireNonNull(id, "id");
    properties = properties == null ? Json.object() : properties.deepCopy();
  }

  /** An object-add whose properties are given as a map of JSON-able values. */
  public static ObjectAdd of(String qomType, String id, Map<String, ?> properties) {
    return new ObjectAdd(qomType, id, Json.MAPPER.valueToTree(properties));
  }

  @Override
  public String commandName() {
    return "object-add";
  }

  @Override
  public ObjectNode arguments() {
    ObjectNode args = Json.object().put("qom-type", qomType).put("id", id);
    args.setAll(properties.deepCopy());
    return args;
  }

  @Override
  public Void result(JsonNode returned) {
    return null;
  }
}
