package org.vmm4j.persist;

import java.util.Objects;
import org.vmm4j.persist.codec.GoField;

/**
 * persistapi.MacvtapEndpoint.
 *
 * <p>Go type: {@code persistapi.MacvtapEndpoint}.
 */
public record MacvtapEndpoint(@GoField("PCIPath") PciPath pciPath) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public MacvtapEndpoint {
    Objects.requireNonNull(pciPath, "PCIPath");
  }
}
