package org.vmm4j.persist;

import java.util.Objects;
import org.vmm4j.persist.codec.GoField;
import org.vmm4j.persist.codec.GoType;

/**
 * persistapi.VFIODev: a VFIO device.
 *
 * <p>Go type: {@code persistapi.VFIODev}.
 */
public record VfioDev(
    @GoField("ID") String id,
    @GoField(value = "Type", type = GoType.UINT32) long type,
    @GoField("BDF") String bdf,
    @GoField("SysfsDev") String sysfsDev) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public VfioDev {
    Objects.requireNonNull(id, "ID");
    Objects.requireNonNull(bdf, "BDF");
    Objects.requireNonNull(sysfsDev, "SysfsDev");
  }
}
