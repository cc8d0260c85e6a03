package org.vmm4j.persist;

import java.util.Objects;
import org.vmm4j.persist.codec.GoField;

/**
 * persistapi.TapEndpoint.
 *
 * <p>Go type: {@code persistapi.TapEndpoint}.
 */
public record TapEndpoint(@GoField("TapInterface") TapInterface tapInterface) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public TapEndpoint {
    Objects.requireNonNull(tapInterface, "TapInterface");
  }
}
