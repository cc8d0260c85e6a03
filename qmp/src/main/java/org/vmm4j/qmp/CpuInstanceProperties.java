package org.vmm4j.qmp;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where a vCPU sits in the topology ({@code CpuInstanceProperties}); null members are absent. To
 * hot-plug a CPU, pass {@link #toJson()} as the properties of a {@link DeviceAdd} whose driver is
 * {@link HotpluggableCpu#type()}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CpuInstanceProperties(
    @JsonProperty("node-id") Integer nodeId,
    @JsonProperty("socket-id") Integer socketId,
    @JsonProperty("die-id") Integer dieId,
    @JsonProperty("cluster-id") Integer clusterId,
    @JsonProperty("core-id") Integer coreId,
    @JsonProperty("thread-id") Integer threadId) {

  /** The properties as QEMU names them, e.g. {@code {"socket-id":1,"core-id":0,"thread-id":0}}. */
  public ObjectNode toJson() {
    return Json.MAPPER.valueToTree(this);
  }
}
