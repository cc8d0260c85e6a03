package org.vmm4j.persist;

import java.util.Objects;
import org.vmm4j.persist.codec.GoField;
import org.vmm4j.persist.codec.GoType;

/**
 * persistapi.NetworkInterfacePair: a VM-side tap paired with the container's interface; {@code
 * TapInterface} is embedded (its fields appear inline).
 *
 * <p>Go type: {@code persistapi.NetworkInterfacePair}.
 */
public record NetworkInterfacePair(
    @GoField(value = "TapInterface", embedded = true) TapInterface tapInterface,
    @GoField("VirtIface") NetworkInterface virtIface,
    @GoField(value = "NetInterworkingModel", type = GoType.INT) long netInterworkingModel) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public NetworkInterfacePair {
    Objects.requireNonNull(tapInterface, "TapInterface");
    Objects.requireNonNull(virtIface, "VirtIface");
  }
}
