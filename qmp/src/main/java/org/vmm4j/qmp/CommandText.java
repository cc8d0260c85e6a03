package org.vmm4j.qmp;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How a command is named in messages: {@code device_add driver=virtio-blk-pci id=blk0 bus=rp0}
 * (scalar arguments as key=value, nested ones as compact JSON), cut at a readable length.
 */
final class CommandText {
  private static final int MAX_LENGTH = 160;

  private CommandText() {}

  static String describe(Command<?> command) {
    return describe(command.commandName(), command.arguments());
  }

  static String describe(String name, ObjectNode arguments) {
    StringBuilder sb = new StringBuilder(name);
    if (arguments != null) {
      for (Map.Entry<String, JsonNode> e : arguments.properties()) {
        JsonNode v = e.getValue();
        sb.append(' ').append(e.getKey()).append('=');
        sb.append(v.isString() ? v.stringValue() : Json.compact(v));
        if (sb.length() > MAX_LENGTH) {
          return sb.substring(0, MAX_LENGTH) + "...";
        }
      }
    }
    return sb.toString();
  }
}
