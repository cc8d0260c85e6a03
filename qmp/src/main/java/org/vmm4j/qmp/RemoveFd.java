package org.vmm4j.qmp;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code remove-fd}: removes one descriptor ({@code fd} given) or the whole set ({@code fd} null).
 */
public record RemoveFd(int fdsetId, Integer fd) implements Command<Void> {
  /** Removes the whole set. */
  public RemoveFd(int fdsetId) {
    this(fdsetId, null);
  }

  @Override
  public String commandName() {
    return "remove-fd";
  }

  @Override
  public ObjectNode arguments() {
    ObjectNode args = Json.object().put("fdset-id", fdsetId);
    return fd == null ? args : args.put("fd", fd);
  }

  @Override
  public Void result(JsonNode returned) {
    return null;
  }
}
