package org.vmm4j.qmp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The one JSON mapper of the module, and the compact wire encoding of commands. */
final class Json {
  static final JsonMapper MAPPER =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /**
   * {@code {"execute":NAME,"arguments":ARGS,"id":ID}\n}, compact (QEMU 7.2 reads QMP input one byte
   * at a time, ~6 us per byte), UTF-8. {@code arguments} is left out when null.
   */
  static byte[] encodeCommand(String name, ObjectNode arguments, long id) {
    ObjectNode msg = MAPPER.createObjectNode();
    msg.put("execute", name);
    if (arguments != null) {
      msg.set("arguments", arguments);
    }
    msg.put("id", id);
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    MAPPER.writeValue(out, msg);
    out.write('\n');
    return out.toByteArray();
  }

  /** Parses one message; throws {@link JacksonException} when it is not exactly one JSON value. */
  static JsonNode parse(byte[] buf, int offset, int length) {
    return MAPPER.readTree(buf, offset, length);
  }

  static String compact(JsonNode node) {
    return MAPPER.writeValueAsString(node);
  }

  static <T> T convert(JsonNode node, Class<T> type) {
    return MAPPER.treeToValue(node, type);
  }

  static <T> List<T> convertList(JsonNode node, Class<T> type) {
    if (!node.isArray()) {
      throw new IllegalArgumentException("expected a JSON array, got " + node.getNodeType());
    }
    List<T> out = new ArrayList<>(node.size());
    for (JsonNode element : node) {
      out.add(MAPPER.treeToValue(element, type));
    }
    return List.copyOf(out);
  }

  /** A member that must be a string. */
  static String requiredString(JsonNode node, String member) {
    JsonNode v = node.get(member);
    if (v == null || !v.isString()) {
      throw new IllegalArgumentException("member '" + member + "' is not a string: " + v);
    }
    return v.stringValue();
  }
}
