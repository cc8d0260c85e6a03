package org.vmm4j.qmp;

import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code chardev-add}: {@code {"id":ID,"backend":BACKEND}}, where the backend is QEMU's {@code
 * ChardevBackend}, e.g. {@code {"type":"socket","data":{"addr":{"type":"unix","data":{"path":
 * "/run/vhost.sock"}},"server":false}}}. The {@code return} ({@code pty} path) is given as JSON.
 */
public record ChardevAdd(String id, ObjectNode backend) implements Command<JsonNode> {
  public ChardevAdd {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(backend, "backend");
    backend = backend.deepCopy();
  }

  @Override
  public String commandName() {
    return "chardev-add";
  }

  @Override
  public ObjectNode arguments() {
    ObjectNode args = Json.object().put("id", id);
    args.set("backend", backend.deepCopy());
    return args;
  }

  @Override
  public JsonNode result(JsonNode returned) {
    return returned;
  }
}
