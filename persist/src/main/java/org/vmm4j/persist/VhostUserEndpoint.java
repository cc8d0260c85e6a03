package org.vmm4j.persist;

import java.util.Objects;
import org.vmm4j.persist.codec.GoField;

/**
 * persistapi.VhostUserEndpoint.
 *
 * <p>Go type: {@code persistapi.VhostUserEndpoint}.
 */
public record VhostUserEndpoint(
    @GoField("IfaceName") String ifaceName, @GoField("PCIPath") PciPath pciPath) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public VhostUserEndpoint {
    Objects.requireNonNull(ifaceName, "IfaceName");
    Objects.requireNonNull(pciPath, "PCIPath");
  }
}
