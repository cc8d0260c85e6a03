package org.vmm4j.qmp;

import java.util.List;
import tools.jackson.databind.JsonNode;

/** {@code query-hotpluggable-cpus}: the CPU slots, plugged or free. */
public record QueryHotpluggableCpus() implements Command<List<HotpluggableCpu>> {
  @Override
  public String commandName() {
    return "query-hotpluggable-cpus";
  }

  @Override
  public List<HotpluggableCpu> result(JsonNode returned) {
    return Json.convertList(returned, HotpluggableCpu.class);
  }
}
