package org.vmm4j.qmp;

import java.util.List;
import tools.jackson.databind.JsonNode;

/** {@code query-cpus-fast}: the vCPUs that exist, without interrupting them. */
public record QueryCpusFast() implements Command<List<CpuInfoFast>> {
  @Override
  public String commandName() {
    return "query-cpus-fast";
  }

  @Override
  public List<CpuInfoFast> result(JsonNode returned) {
    return Json.convertList(returned, CpuInfoFast.class);
  }
}
