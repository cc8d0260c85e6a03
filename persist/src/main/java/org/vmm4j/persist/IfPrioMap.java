package org.vmm4j.persist;

import java.util.Objects;
import org.vmm4j.persist.codec.GoField;
import org.vmm4j.persist.codec.GoType;

/**
 * runc {@code configs.IfPrioMap}.
 *
 * <p>Go type: {@code configs.IfPrioMap}.
 */
public record IfPrioMap(
    @GoField("interface") String iface,
    @GoField(value = "priority", type = GoType.INT64) long priority) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public IfPrioMap {
    Objects.requireNonNull(iface, "interface");
  }
}
