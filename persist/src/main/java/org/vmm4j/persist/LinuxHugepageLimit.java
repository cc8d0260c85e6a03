package org.vmm4j.persist;

import java.util.Objects;
import org.vmm4j.persist.codec.GoField;
import org.vmm4j.persist.codec.GoType;

/**
 * OCI {@code specs.LinuxHugepageLimit}.
 *
 * <p>Go type: {@code specs.LinuxHugepageLimit}.
 */
public record LinuxHugepageLimit(
    @GoField("pageSize") String pageSize,
    @GoField(value = "limit", type = GoType.UINT64) long limit) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public LinuxHugepageLimit {
    Objects.requireNonNull(pageSize, "pageSize");
  }
}
