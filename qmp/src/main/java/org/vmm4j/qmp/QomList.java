package org.vmm4j.qmp;

import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code qom-list}: the properties of the QOM object at {@code path}. On {@code
 * /machine/peripheral} the {@code child<...>} entries are the devices that exist, by id: the truth
 * to reconcile with after a {@code device_del} whose event did not come.
 */
public record QomList(String path) implements Command<List<QomProperty>> {
  /** The path whose children are the user-created devices. */
  public static final String PERIPHERAL = "/machine/peripheral";

  public QomList {
    Objects.requireNonNull(path, "path");
  }

  @Override
  public String commandName() {
    return "qom-list";
  }

  @Override
  public ObjectNode arguments() {
    return Json.object().put("path", path);
  }

  @Override
  public List<QomProperty> result(JsonNode returned) {
    return Json.convertList(returned, QomProperty.class);
  }
}
