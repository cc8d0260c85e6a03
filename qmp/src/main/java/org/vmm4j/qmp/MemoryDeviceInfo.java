package org.vmm4j.qmp;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One entry of {@code query-memory-devices}: the common members of QEMU's union ({@code dimm},
 * {@code nvdimm}, {@code virtio-mem}, {@code virtio-pmem}, {@code sgx-epc}) typed, all of them in
 * {@link #data()}.
 *
 * @param type the union tag, e.g. {@code dimm}
 * @param id the device id, or null
 * @param address guest physical address ({@code addr} or {@code memaddr}), -1 when absent
 * @param size bytes, -1 when absent
 * @param slot the DIMM slot, or null
 * @param node the NUMA node, or null
 * @param memdev QOM path of the memory backend, or null
 * @param hotplugged true when the device was hot-plugged
 * @param data the union's {@code data} object as QEMU sent it
 */
public record MemoryDeviceInfo(
    String type,
    String id,
    long address,
    long size,
    Integer slot,
    Integer node,
    String memdev,
    boolean hotplugged,
    ObjectNode data) {

  static MemoryDeviceInfo fromJson(JsonNode n) {
    String type = Json.requiredString(n, "type");
    JsonNode d = n.path("data");
    if (!d.isObject()) {
      throw new IllegalArgumentException("memory device without a data object: " + n);
    }
    JsonNode addr = d.has("addr") ? d.get("addr") : d.path("memaddr");
    return new MemoryDeviceInfo(
        type,
        d.path("id").stringValue(null),
        addr.isNumber() ? addr.asLong() : -1,
        d.path("size").isNumber() ? d.get("size").asLong() : -1,
        d.path("slot").isNumber() ? d.get("slot").asInt() : null,
        d.path("node").isNumber() ? d.get("node").asInt() : null,
        d.path("memdev").stringValue(null),
        d.path("hotplugged").asBoolean(false),
        (ObjectNode) d.deepCopy());
  }
}
