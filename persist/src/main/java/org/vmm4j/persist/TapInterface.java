package org.vmm4j.persist;

import java.util.Objects;
import org.vmm4j.persist.codec.GoField;

/**
 * persistapi.TapInterface: a tap interface.
 *
 * <p>Go type: {@code persistapi.TapInterface}.
 */
public record TapInterface(
    @GoField("ID") String id,
    @GoField("Name") String name,
    @GoField("TAPIface") NetworkInterface tapIface) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public TapInterface {
    Objects.requireNonNull(id, "ID");
    Objects.requireNonNull(name, "Name");
    Objects.requireNonNull(tapIface, "TAPIface");
  }
}
