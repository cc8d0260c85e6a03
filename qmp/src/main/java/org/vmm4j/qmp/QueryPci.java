package org.vmm4j.qmp;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * {@code query-pci}: the PCI buses and devices, bridges nested (see {@link PciBus} for the
 * bus-number trap before firmware ran).
 */
public record QueryPci() implements Command<List<PciBus>> {
  @Override
  public String commandName() {
    return "query-pci";
  }

  @Override
  public List<PciBus> result(JsonNode returned) {
    return Json.convertList(returned, PciBus.class);
  }
}
