package org.vmm4j.qmp;

import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code query-named-block-nodes}: every named block node.
 *
 * @param flat when true, QEMU leaves out the backing chain of each node (smaller reply)
 */
public record QueryNamedBlockNodes(boolean flat) implements Command<List<BlockNodeInfo>> {
  /** The full form, with backing chains. */
  public QueryNamedBlockNodes() {
    this(false);
  }

  @Override
  public String commandName() {
    return "query-named-block-nodes";
  }

  @Override
  public ObjectNode arguments() {
    return flat ? Json.object().put("flat", true) : null;
  }

  @Override
  public List<BlockNodeInfo> result(JsonNode returned) {
    if (!returned.isArray()) {
      throw new IllegalArgumentException("expected an array, got " + returned.getNodeType());
    }
    return returned.valueStream().map(BlockNodeInfo::fromJson).toList();
  }
}
