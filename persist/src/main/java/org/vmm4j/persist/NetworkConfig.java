package org.vmm4j.persist;

import java.util.Objects;
import org.vmm4j.persist.codec.GoField;
import org.vmm4j.persist.codec.GoType;

/**
 * persistapi.NetworkConfig: the sandbox's network configuration.
 *
 * <p>Go type: {@code persistapi.NetworkConfig}.
 */
public record NetworkConfig(
    @GoField("NetNSPath") String netNsPath,
    @GoField("NetNsCreated") boolean netNsCreated,
    @GoField("DisableNewNetNs") boolean disableNewNetNs,
    @GoField(value = "InterworkingModel", type = GoType.INT) long interworkingModel) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public NetworkConfig {
    Objects.requireNonNull(netNsPath, "NetNSPath");
  }
}
