package org.vmm4j.qmp;

import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code device_add}: {@code {"driver":DRIVER,"id":ID, ...properties}}. QEMU's reply means the
 * device exists; it does not mean the guest saw it.
 *
 * @param driver the device model, e.g. {@code virtio-blk-pci}
 * @param id the device id (later given to {@code device_del})
 * @param properties the other properties ({@code bus}, {@code addr}, {@code drive}, ...); copied
 */
public record DeviceAdd(String driver, String id, ObjectNode properties) implements Command<Void> {
  public DeviceAdd {
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(id, "id");
    properties = properties == null ? Json.object() : properties.deepCopy();
    if (properties.has("driver") || properties.has("id")) {
      throw new IllegalArgumentException("driver and id are record components, not properties");
    }
  }

  /** A device_add whose properties are given as a map of JSON-able values. */
  public static DeviceAdd of(String driver, String id, Map<String, ?> properties) {
    return new DeviceAdd(driver, id, Json.MAPPER.valueToTree(properties));
  }

  @Override
  public String commandName() {
    return "device_add";
  }

  @Override
  public ObjectNode arguments() {
    ObjectNode args = Json.object().put("driver", driver).put("id", id);
    args.setAll(properties.deepCopy());
    return args;
  }

  @Override
  public Void result(JsonNode returned) {
    return null;
  }
}
