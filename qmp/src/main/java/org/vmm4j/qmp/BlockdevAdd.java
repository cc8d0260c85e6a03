package org.vmm4j.qmp;

import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code blockdev-add}: the options object as QEMU defines it ({@code BlockdevOptions}), e.g.
 * {@code {"driver":"raw","node-name":"drive-1","file":{"driver":"file","filename":"/x.img"}}}.
 */
public record BlockdevAdd(ObjectNode options) implements Command<Void> {
  public BlockdevAdd {
    Objects.requireNonNull(options, "options");
    options = options.deepCopy();
    if (!options.has("driver")) {
      throw new IllegalArgumentException("blockdev-add options need a driver: " + options);
    }
  }

  /** The {@code node-name} of the new node, or null when QEMU is to generate one. */
  public String nodeName() {
    JsonNode n = options.get("node-name");
    return n == null ? null : n.asString();
  }

  @Override
  public String commandName() {
    return "blockdev-add";
  }

  @Override
  public ObjectNode arguments() {
    return options.deepCopy();
  }

  @Override
  public Void result(JsonNode returned) {
    return null;
  }
}
