package org.vmm4j.persist;

import java.time.OffsetDateTime;
import java.util.Objects;
import org.vmm4j.persist.codec.GoField;
import org.vmm4j.persist.codec.GoType;

/**
 * persistapi.Process (renamed: java.lang.Process would clash): the host process representing a
 * container's process.
 *
 * <p>Go type: {@code persistapi.Process}.
 */
public record ContainerProcess(
    @GoField("Token") String token,
    @GoField(value = "Pid", type = GoType.INT) long pid,
    @GoField("StartTime") OffsetDateTime startTime) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public ContainerProcess {
    Objects.requireNonNull(token, "Token");
    Objects.requireNonNull(startTime, "StartTime");
  }
}
