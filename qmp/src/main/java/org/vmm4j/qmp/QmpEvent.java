package org.vmm4j.qmp;

import java.time.Instant;
import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * An asynchronous event from QEMU, e.g. {@code DEVICE_DELETED} with {@code
 * {"device":"blk0","path":"/machine/peripheral/blk0"}}.
 *
 * @param name the event name
 * @param data the event's {@code data} (empty when QEMU sent none); copied
 * @param timestamp QEMU's timestamp ({@link Instant#EPOCH} when absent)
 */
public record QmpEvent(String name, ObjectNode data, Instant timestamp) {
  public QmpEvent {
    Objects.requireNonNull(name, "name");
    data = data == null ? Json.object() : data.deepCopy();
    timestamp = timestamp == null ? Instant.EPOCH : timestamp;
  }

  /** A string member of {@link #data()}, or null when absent or not a string. */
  public String dataString(String member) {
    return data.path(member).stringValue(null);
  }

  @Override
  public String toString() {
    return name + " " + Json.compact(data);
  }
}
