package org.vmm4j.qmp;

import java.util.Objects;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Any command, untyped: the name and the arguments as JSON; the result is QEMU's {@code return}
 * value as it came.
 *
 * @param commandName e.g. {@code query-qmp-schema}
 * @param arguments the arguments object, or null for none; copied
 */
public record Execute(String commandName, ObjectNode arguments) implements Command<JsonNode> {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

  public Execute {
    Objects.requireNonNull(commandName, "commandName");
    if (!NAME.matcher(commandName).matches()) {
      throw new IllegalArgumentException("not a QMP command name: '" + commandName + "'");
    }
    arguments = arguments == null ? null : arguments.deepCopy();
  }

  /** A command without arguments. */
  public static Execute of(String commandName) {
    return new Execute(commandName, null);
  }

  @Override
  public ObjectNode arguments() {
    return arguments == null ? null : arguments.deepCopy();
  }

  @Override
  public JsonNode result(JsonNode returned) {
    return returned;
  }
}
