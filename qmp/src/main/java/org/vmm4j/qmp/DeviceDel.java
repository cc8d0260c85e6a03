package org.vmm4j.qmp;

import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code device_del}: Asks QEMU to remove a device; removal completes with {@code DEVICE_DELETED}
 * (see {@link QmpClient#deviceDel(String)}, which waits for it).
 */
public record DeviceDel(String id) implements Command<Void> {
  public DeviceDel {
    Objects.requireNonNull(id, "id");
  }

  @Override
  public String commandName() {
    return "device_del";
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
