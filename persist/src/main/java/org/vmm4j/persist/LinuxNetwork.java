package org.vmm4j.persist;

import java.util.List;
import org.vmm4j.persist.codec.GoField;
import org.vmm4j.persist.codec.GoType;

/**
 * OCI {@code specs.LinuxNetwork}.
 *
 * <p>Go type: {@code specs.LinuxNetwork}.
 */
public record LinuxNetwork(
    @GoField(value = "classID", type = GoType.UINT32, omitEmpty = true) Long classId,
    @GoField(value = "priorities", omitEmpty = true) List<LinuxInterfacePriority> priorities) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public LinuxNetwork {
    priorities = Copies.list(priorities);
  }
}
