package org.vmm4j.persist;

import java.util.Objects;
import org.vmm4j.persist.codec.GoField;
import org.vmm4j.persist.codec.GoType;

/**
 * persistapi.DeviceMap: how a sandbox device appears in a container.
 *
 * <p>Go type: {@code persistapi.DeviceMap}.
 */
public record DeviceMap(
    @GoField("ID") String id,
    @GoField("ContainerPath") String containerPath,
    @GoField(value = "FileMode", type = GoType.FILE_MODE) long fileMode,
    @GoField(value = "UID", type = GoType.UINT32) long uid,
    @GoField(value = "GID", type = GoType.UINT32) long gid) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public DeviceMap {
    Objects.requireNonNull(id, "ID");
    Objects.requireNonNull(containerPath, "ContainerPath");
  }
}
