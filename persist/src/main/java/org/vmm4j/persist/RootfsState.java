package org.vmm4j.persist;

import java.util.Objects;
import org.vmm4j.persist.codec.GoField;

/**
 * persistapi.RootfsState: the container rootfs.
 *
 * <p>Go type: {@code persistapi.RootfsState}.
 */
public record RootfsState(
    @GoField("BlockDeviceID") String blockDeviceId, @GoField("FsType") String fsType) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public RootfsState {
    Objects.requireNonNull(blockDeviceId, "BlockDeviceID");
    Objects.requireNonNull(fsType, "FsType");
  }
}
