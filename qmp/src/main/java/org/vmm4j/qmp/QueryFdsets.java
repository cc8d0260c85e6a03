package org.vmm4j.qmp;

import java.util.List;
import tools.jackson.databind.JsonNode;

/** {@code query-fdsets}: the fd sets made with {@link AddFd}. */
public record QueryFdsets() implements Command<List<FdsetInfo>> {
  @Override
  public String commandName() {
    return "query-fdsets";
  }

  @Override
  public List<FdsetInfo> result(JsonNode returned) {
    return Json.convertList(returned, FdsetInfo.class);
  }
}
