package org.vmm4j.testing.qmp;

import java.time.Instant;
import java.util.Arrays;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/** The lines {@link FakeQmpServer} sends, shaped as QEMU shapes them. */
final class FakeQmpMessages {
  static final JsonMapper MAPPER = JsonMapper.builder().build();

  private FakeQmpMessages() {}

  static JsonNode json(String json) {
    return MAPPER.readTree(json);
  }

  static String reply(JsonNode value, JsonNode id) {
    ObjectNode o = MAPPER.createObjectNode();
    o.set("return", value);
    if (id != null) {
      o.set("id", id);
    }
    return MAPPER.writeValueAsString(o);
  }

  static String error(String errorClass, String desc, JsonNode id) {
    ObjectNode o = MAPPER.createObjectNode();
    o.putObject("error").put("class", errorClass).put("desc", desc);
    if (id != null) {
      o.set("id", id);
    }
    return MAPPER.writeValueAsString(o);
  }

  static String event(String name, String dataJson) {
    Instant now = Instant.now();
    ObjectNode o = MAPPER.createObjectNode();
    o.putObject("timestamp")
        .put("seconds", now.getEpochSecond())
        .put("microseconds", now.getNano() / 1000);
    o.put("event", name);
    if (dataJson != null) {
      o.set("data", json(dataJson));
    }
    return MAPPER.writeValueAsString(o);
  }

  static JsonNode hugeString(int bytes) {
    char[] c = new char[Math.max(0, bytes - 30)];
    Arrays.fill(c, 'x');
    return StringNode.valueOf(new String(c));
  }
}
