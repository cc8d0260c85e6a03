package org.vmm4j.qmp;

import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code blockdev-del}: Removes a block node that nothing uses any more. */
public record BlockdevDel(String nodeName) implements Command<Void> {
  public BlockdevDel {
    Objects.requireNonNull(nodeName, "nodeName");
  }

  @Override
  public String commandName() {
    return "blockdev-del";
  }

  @Override
  public ObjectNode arguments() {
    return Json.object().put("node-name", nodeName);
  }

  @Override
  public Void result(JsonNode returned) {
    return null;
  }
}
