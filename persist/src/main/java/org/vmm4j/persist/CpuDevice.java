package org.vmm4j.persist;

import java.util.Objects;
import org.vmm4j.persist.codec.GoField;

/**
 * persistapi.CPUDevice: a hot-added vCPU.
 *
 * <p>Go type: {@code persistapi.CPUDevice}.
 */
public record CpuDevice(@GoField("ID") String id) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public CpuDevice {
    Objects.requireNonNull(id, "ID");
  }
}
