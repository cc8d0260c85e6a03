package org.vmm4j.qmp;

import tools.jackson.databind.JsonNode;

/** {@code system_powerdown}: Presses the ACPI power button; the guest decides what happens. */
public record SystemPowerdown() implements Command<Void> {
  @Override
  public String commandName() {
    return "system_powerdown";
  }

  @Override
  public Void result(JsonNode returned) {
    return null;
  }
}
