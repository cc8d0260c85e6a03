package org.vmm4j.persist;

import java.util.Objects;
import org.vmm4j.persist.codec.GoField;
import org.vmm4j.persist.codec.GoType;

/**
 * OCI {@code specs.LinuxInterfacePriority}.
 *
 * <p>Go type: {@code specs.LinuxInterfacePriority}.
 */
public record LinuxInterfacePriority(
    @GoField("name") String name,
    @GoField(value = "priority", type = GoType.UINT32) long priority) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public LinuxInterfacePriority {
    Objects.requireNonNull(name, "name");
  }
}
