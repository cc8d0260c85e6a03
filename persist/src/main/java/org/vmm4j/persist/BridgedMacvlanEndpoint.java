package org.vmm4j.persist;

import java.util.Objects;
import org.vmm4j.persist.codec.GoField;

/**
 * persistapi.BridgedMacvlanEndpoint.
 *
 * <p>Go type: {@code persistapi.BridgedMacvlanEndpoint}.
 */
public record BridgedMacvlanEndpoint(@GoField("NetPair") NetworkInterfacePair netPair) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public BridgedMacvlanEndpoint {
    Objects.requireNonNull(netPair, "NetPair");
  }
}
