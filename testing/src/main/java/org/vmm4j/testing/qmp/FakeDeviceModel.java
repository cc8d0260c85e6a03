package org.vmm4j.testing.qmp;

import static org.vmm4j.testing.qmp.FakeQmpMessages.MAPPER;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The device model of {@link FakeQmpServer#emulateDevices()}. */
final class FakeDeviceModel {
  private FakeDeviceModel() {}

  static void install(FakeQmpServer fake) {
    Map<String, String> devices = new ConcurrentHashMap<>();
    fake.on("device_add")
        .answer(
            c -> {
              if (devices.putIfAbsent(c.arg("id"), c.arg("driver")) != null) {
                throw new FakeQmpError("GenericError", "Duplicate device ID '" + c.arg("id") + "'");
              }
              return MAPPER.createObjectNode();
            });
    fake.on("device_del")
        .answer(
            c -> {
              if (devices.remove(c.arg("id")) == null) {
                throw new FakeQmpError("DeviceNotFound", "Device '" + c.arg("id") + "' not found");
              }
              return MAPPER.createObjectNode();
            })
        .deviceDeleted();
    fake.on("qom-list", c -> "/machine/peripheral".equals(c.arg("path")))
        .answer(
            c -> {
              var list = MAPPER.createArrayNode();
              list.addObject().put("name", "type").put("type", "string");
              devices.forEach(
                  (id, driver) ->
                      list.addObject().put("name", id).put("type", "child<" + driver + ">"));
              return list;
            });
  }
}
