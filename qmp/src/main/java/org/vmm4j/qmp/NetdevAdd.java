package org.vmm4j.qmp;

import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code netdev_add}: {@code {"type":TYPE,"id":ID, ...properties}}, e.g. a tap backend whose {@code
 * fd} names a descriptor handed over with {@link GetFd}.
 */
public record NetdevAdd(String type, String id, ObjectNode properties) implements Command<Void> {
  public NetdevAdd {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(id, "id");
    properties = properties == null ? Json.object() : properties.deepCopy();
  }

  /** A netdev_add whose properties are given as a map of JSON-able values. */
  public static NetdevAdd of(String type, String id, Map<String, ?> properties) {
    return new NetdevAdd(type, id, Json.MAPPER.valueToTree(properties));
  }

  @Override
  public String commandName() {
    return "netdev_add";
  }

  @Override
  public ObjectNode arguments() {
    ObjectNode args = Json.object().put("type", type).put("id", id);
    args.setAll(properties.deepCopy());
    return args;
  }

  @Override
  public Void result(JsonNode returned) {
    return null;
  }
}
