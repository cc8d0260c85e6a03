package org.vmm4j.qmp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** What QEMU sends: one JSON object per line, classified by its members. */
sealed interface Message {

  /** {@code {"QMP":{"version":..,"capabilities":[..]}}}. */
  record Greeting(QmpGreeting greeting) implements Message {}

  /** {@code {"event":..,"data":..,"timestamp":..}}. */
  record Event(QmpEvent event) implements Message {}

  /** {@code {"return":..,"id":..}}; {@code id} is null when QEMU sent none. */
  record Return(JsonNode id, JsonNode value) implements Message {}

  /** {@code {"error":{"class":..,"desc":..},"id":..}}; {@code id} is null when QEMU sent none. */
  record Error(JsonNode id, String errorClass, String desc) implements Message {}

  /**
   * Classifies a parsed line. A reply has exactly one of {@code return} and {@code error}.
   *
   * @throws IllegalArgumentException when it is not a QMP message
   */
  static Message classify(JsonNode node) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    if (node.has("return") && node.has("error")) {
      throw new IllegalArgumentException("a reply with both \"return\" and \"error\"");
    }
    if (node.has("return")) {
      return new Return(node.get("id"), node.get("return"));
    }
    if (node.has("error")) {
      JsonNode e = node.get("error");
      return new Error(
          node.get("id"), e.path("class").asString("GenericError"), e.path("desc").asString(""));
    }
    if (node.has("event")) {
      return new Event(event(node));
    }
    if (node.has("QMP")) {
      return new Greeting(greeting(node.get("QMP")));
    }
    throw new IllegalArgumentException("neither a reply, an event nor a greeting");
  }

  private static QmpEvent event(JsonNode node) {
    JsonNode data = node.get("data");
    JsonNode ts = node.path("timestamp");
    Instant when =
        ts.isObject()
            ? Instant.ofEpochSecond(
                ts.path("seconds").asLong(0), ts.path("microseconds").asLong(0) * 1000)
            : Instant.EPOCH;
    return new QmpEvent(
        Json.requiredString(node, "event"),
        data != null && data.isObject() ? (ObjectNode) data : null,
        when);
  }

  private static QmpGreeting greeting(JsonNode qmp) {
    List<String> caps = new ArrayList<>();
    qmp.path("capabilities").forEach(c -> caps.add(c.asString()));
    return new QmpGreeting(QemuVersion.fromJson(qmp.path("version")), caps);
  }
}
