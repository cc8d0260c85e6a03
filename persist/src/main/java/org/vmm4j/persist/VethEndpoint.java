package org.vmm4j.persist;

import java.util.Objects;
import org.vmm4j.persist.codec.GoField;

/**
 * persistapi.VethEndpoint.
 *
 * <p>Go type: {@code persistapi.VethEndpoint}.
 */
public record VethEndpoint(@GoField("NetPair") NetworkInterfacePair netPair) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public VethEndpoint {
    Objects.requireNonNull(netPair, "NetPair");
  }
}
