package org.vmm4j.qmp;

import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code human-monitor-command}: runs an HMP command line and returns its text output. */
public record HumanMonitorCommand(String commandLine) implements Command<String> {
  public HumanMonitorCommand {
    Objects.requireNonNull(commandLine, "commandLine");
  }

  @Override
  public String commandName() {
    return "human-monitor-command";
  }

  @Override
  public ObjectNode arguments() {
    return Json.object().put("command-line", commandLine);
  }

  @Override
  public String result(JsonNode returned) {
    if (!returned.isString()) {
      throw new IllegalArgumentException("expected a string, got " + returned.getNodeType());
    }
    return returned.stringValue();
  }
}
