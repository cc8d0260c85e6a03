package org.vmm4j.persist;

import java.util.List;
import java.util.Objects;
import org.vmm4j.persist.codec.GoField;
import org.vmm4j.persist.codec.GoType;

/**
 * persistapi.NetworkInfo: the sandbox's network namespace and endpoints.
 *
 * <p>Go type: {@code persistapi.NetworkInfo}.
 */
public record NetworkInfo(
    @GoField("NetNsPath") String netNsPath,
    @GoField(value = "NetmonPID", type = GoType.INT) long netmonPid,
    @GoField("NetNsCreated") boolean netNsCreated,
    @GoField("Endpoints") List<NetworkEndpoint> endpoints) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public NetworkInfo {
    Objects.requireNonNull(netNsPath, "NetNsPath");
    endpoints = Copies.list(endpoints);
  }
}
