package org.vmm4j.persist;

import java.util.Objects;
import org.vmm4j.persist.codec.GoField;

/**
 * persistapi.TuntapEndpoint.
 *
 * <p>Go type: {@code persistapi.TuntapEndpoint}.
 */
public record TuntapEndpoint(@GoField("TuntapInterface") TuntapInterface tuntapInterface) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public TuntapEndpoint {
    Objects.requireNonNull(tuntapInterface, "TuntapInterface");
  }
}
