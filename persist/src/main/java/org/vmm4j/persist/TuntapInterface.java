package org.vmm4j.persist;

import java.util.Objects;
import org.vmm4j.persist.codec.GoField;

/**
 * persistapi.TuntapInterface: a tuntap interface.
 *
 * <p>Go type: {@code persistapi.TuntapInterface}.
 */
public record TuntapInterface(
    @GoField("Name") String name, @GoField("TAPIface") NetworkInterface tapIface) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public TuntapInterface {
    Objects.requireNonNull(name, "Name");
    Objects.requireNonNull(tapIface, "TAPIface");
  }
}
