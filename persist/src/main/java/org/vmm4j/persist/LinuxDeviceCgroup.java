package org.vmm4j.persist;

import java.util.Objects;
import org.vmm4j.persist.codec.GoField;
import org.vmm4j.persist.codec.GoType;

/**
 * OCI {@code specs.LinuxDeviceCgroup}.
 *
 * <p>Go type: {@code specs.LinuxDeviceCgroup}.
 */
public record LinuxDeviceCgroup(
    @GoField("allow") boolean allow,
    @GoField(value = "type", omitEmpty = true) String type,
    @GoField(value = "major", type = GoType.INT64, omitEmpty = true) Long major,
    @GoField(value = "minor", type = GoType.INT64, omitEmpty = true) Long minor,
    @GoField(value = "access", omitEmpty = true) String access) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public LinuxDeviceCgroup {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(access, "access");
  }
}
