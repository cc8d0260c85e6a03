package org.vmm4j.persist;

import java.util.Map;
import java.util.Objects;
import org.vmm4j.persist.codec.GoField;
import org.vmm4j.persist.codec.GoType;

/**
 * persistapi.Bridge: a PCI bridge (or PCIe root port) taking hot-plugged devices; DeviceAddr maps
 * slot to device id.
 *
 * <p>Go type: {@code persistapi.Bridge}.
 */
public record Bridge(
    @GoField(value = "DeviceAddr", type = GoType.UINT32) Map<Long, String> deviceAddr,
    @GoField("Type") String type,
    @GoField("ID") String id,
    @GoField(value = "Addr", type = GoType.INT) long addr) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public Bridge {
    Objects.requireNonNull(type, "Type");
    Objects.requireNonNull(id, "ID");
    deviceAddr = Copies.map(deviceAddr);
  }
}
