package org.vmm4j.qmp;

import java.util.List;
import tools.jackson.databind.JsonNode;

/** {@code query-memory-devices}: DIMMs and other memory devices. */
public record QueryMemoryDevices() implements Command<List<MemoryDeviceInfo>> {
  @Override
  public String commandName() {
    return "query-memory-devices";
  }

  @Override
  public List<MemoryDeviceInfo> result(JsonNode returned) {
    return returned.valueStream().map(MemoryDeviceInfo::fromJson).toList();
  }
}
