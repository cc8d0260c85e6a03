package org.vmm4j.qmp;

import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code closefd}: Closes a descriptor that {@link GetFd} gave QEMU. */
public record CloseFd(String fdname) implements Command<Void> {
  public CloseFd {
    Objects.requireNonNull(fdname, "fdname");
  }

  @Override
  public String commandName() {
    return "closefd";
  }

  @Override
  public ObjectNode arguments() {
    return Json.object().put("fdname", fdname);
  }

  @Override
  public Void result(JsonNode returned) {
    return null;
  }
}
