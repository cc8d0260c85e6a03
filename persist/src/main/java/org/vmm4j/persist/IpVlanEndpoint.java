package org.vmm4j.persist;

import java.util.Objects;
import org.vmm4j.persist.codec.GoField;

/**
 * persistapi.IPVlanEndpoint.
 *
 * <p>Go type: {@code persistapi.IPVlanEndpoint}.
 */
public record IpVlanEndpoint(@GoField("NetPair") NetworkInterfacePair netPair) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public IpVlanEndpoint {
    Objects.requireNonNull(netPair, "NetPair");
  }
}
