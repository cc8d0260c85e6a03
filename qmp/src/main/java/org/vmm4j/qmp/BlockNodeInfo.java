package org.vmm4j.qmp;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One entry of {@code query-named-block-nodes}: the members vmm4j uses typed, all of them in {@link
 * #raw()}.
 *
 * @param nodeName the node's name
 * @param driver the block driver ({@code drv}), e.g. {@code raw}, {@code qcow2}, {@code file}
 * @param file the file name QEMU reports, or null
 * @param readOnly {@code ro}
 */
public record BlockNodeInfo(
    String nodeName, String driver, String file, boolean readOnly, ObjectNode raw) {

  static BlockNodeInfo fromJson(JsonNode n) {
    if (!n.isObject()) {
      throw new IllegalArgumentException("block node is not an object: " + n);
    }
    return new BlockNodeInfo(
        Json.requiredString(n, "node-name"),
        Json.requiredString(n, "drv"),
        n.path("file").stringValue(null),
        n.path("ro").asBoolean(false),
        (ObjectNode) n.deepCopy());
  }
}
