package org.vmm4j.persist;

import java.util.Objects;
import org.vmm4j.persist.codec.GoField;
import org.vmm4j.persist.codec.GoType;

/**
 * persistapi.VhostUserDeviceAttrs: a vhost-user device.
 *
 * <p>Go type: {@code persistapi.VhostUserDeviceAttrs}.
 */
public record VhostUserDeviceAttrs(
    @GoField("DevID") String devId,
    @GoField("SocketPath") String socketPath,
    @GoField("Type") String type,
    @GoField("MacAddress") String macAddress,
    @GoField("PCIPath") PciPath pciPath,
    @GoField(value = "Index", type = GoType.INT) long index) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public VhostUserDeviceAttrs {
    Objects.requireNonNull(devId, "DevID");
    Objects.requireNonNull(socketPath, "SocketPath");
    Objects.requireNonNull(type, "Type");
    Objects.requireNonNull(macAddress, "MacAddress");
    Objects.requireNonNull(pciPath, "PCIPath");
  }
}
