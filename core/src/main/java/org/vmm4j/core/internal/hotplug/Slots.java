package org.vmm4j.core.internal.hotplug;

import java.util.Optional;
import org.vmm4j.devices.SlotReservation;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** {@code device_add}'s placement arguments. */
final class Slots {
  private Slots() {}

  /** A new, empty JSON object for a command's arguments. */
  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** {@code bus} and {@code addr} for the slot (no {@code addr} below a root port). */
  static ObjectNode place(ObjectNode props, Optional<SlotReservation> slot) {
    slot.ifPresent(
        s -> {
          props.put("bus", s.bus());
          s.addr().ifPresent(a -> props.put("addr", a));
        });
    return props;
  }
}
