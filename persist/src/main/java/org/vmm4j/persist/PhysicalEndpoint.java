package org.vmm4j.persist;

import java.util.Objects;
import org.vmm4j.persist.codec.GoField;

/**
 * persistapi.PhysicalEndpoint: a physical NIC passed through with VFIO.
 *
 * <p>Go type: {@code persistapi.PhysicalEndpoint}.
 */
public record PhysicalEndpoint(
    @GoField("BDF") String bdf,
    @GoField("Driver") String driver,
    @GoField("VendorDeviceID") String vendorDeviceId) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public PhysicalEndpoint {
    Objects.requireNonNull(bdf, "BDF");
    Objects.requireNonNull(driver, "Driver");
    Objects.requireNonNull(vendorDeviceId, "VendorDeviceID");
  }
}
