package org.vmm4j.core.internal.reconcile;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vmm4j.testing.qmp.FakeQmpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A QEMU's devices and block nodes as a {@link FakeQmpServer} serves them to {@link QemuInventory}:
 * {@code qom-list /machine/peripheral}, {@code qom-get} of {@code hotplugged}, {@code parent_bus},
 * {@code addr}, {@code scsi-id}, {@code lun}, {@code query-named-block-nodes}, {@code query-block},
 * {@code query-memory-devices}; {@code device_del} and {@code blockdev-del} remove.
 */
final class FakeQemuDevices {
  static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final Map<String, ObjectNode> devices = new LinkedHashMap<>();
  private final Map<String, String> nodes = new LinkedHashMap<>(); // node -> user device id or ""

  FakeQemuDevices commandLine(String id, String type, String bus, int slot) {
    return add(id, type, false, bus, slot);
  }

  FakeQemuDevices hotplugged(String id, String type, String bus, int slot) {
    return add(id, type, true, bus, slot);
  }

  synchronized FakeQemuDevices scsi(String id, int scsiId, int lun) {
    ObjectNode d = F.objectNode();
    d.put("type", "scsi-hd")
        .put("hotplugged", true)
        .put("parent_bus", "/machine/peripheral/scsi0/scsi0.0");
    d.put("scsi-id", scsiId).put("lun", lun);
    devices.put(id, d);
    return this;
  }

  synchronized FakeQemuDevices node(String node, String user) {
    nodes.put(node, user);
    return this;
  }

  private synchronized FakeQemuDevices add(
      String id, String type, boolean hot, String bus, int slot) {
    ObjectNode d = F.objectNode();
    d.put("type", type).put("hotplugged", hot).put("parent_bus", bus);
    if (slot >= 0) {
      d.put("addr", slot << 3);
    }
    devices.put(id, d);
    return this;
  }

  synchronized boolean has(String id) {
    return devices.containsKey(id);
  }

  synchronized boolean hasNode(String node) {
    return nodes.containsKey(node);
  }

  /** Scripts {@code fake} to serve these devices. */
  FakeQmpServer serve(FakeQmpServer fake) {
    fake.on("qom-list").answer(c -> peripheral());
    fake.on("qom-get").error("GenericError", "Property not found");
    fake.on("qom-get", c -> property(c.arguments()) != null).answer(c -> property(c.arguments()));
    fake.on("query-named-block-nodes").answer(c -> namedNodes());
    fake.on("query-block").answer(c -> blocks());
    fake.on("query-memory-devices").reply("[]");
    fake.on("device_del").answer(c -> remove(c.arguments().path("id").asString())).deviceDeleted();
    fake.on("blockdev-del").answer(c -> removeNode(c.arguments().path("node-name").asString()));
    return fake;
  }

  private synchronized JsonNode peripheral() {
    ArrayNode a = F.arrayNode();
    a.addObject().put("name", "type").put("type", "string");
    devices.forEach(
        (id, d) ->
            a.addObject().put("name", id).put("type", "child<" + d.path("type").asString() + ">"));
    return a;
  }

  private synchronized JsonNode property(JsonNode args) {
    String path = args.path("path").asString();
    String id = path.substring(path.lastIndexOf('/') + 1);
    ObjectNode d = devices.get(id);
    return d == null ? null : d.get(args.path("property").asString());
  }

  private synchronized JsonNode namedNodes() {
    ArrayNode a = F.arrayNode();
    nodes.keySet().forEach(n -> a.addObject().put("node-name", n).put("drv", "raw"));
    a.addObject().put("node-name", "#block123").put("drv", "file");
    return a;
  }

  private synchronized JsonNode blocks() {
    ArrayNode a = F.arrayNode();
    nodes.forEach(
        (n, user) -> {
          ObjectNode b = a.addObject();
          b.putObject("inserted").put("node-name", n);
          if (!user.isEmpty()) {
            b.put("qdev", "/machine/peripheral/" + user + "/virtio-backend");
          }
        });
    return a;
  }

  private synchronized JsonNode remove(String id) {
    devices.remove(id);
    return F.objectNode();
  }

  private synchronized JsonNode removeNode(String node) {
    nodes.remove(node);
    return F.objectNode();
  }
}
