package org.vmm4j.persist;

import java.util.Objects;
import org.vmm4j.persist.codec.GoField;

/**
 * persistapi.ShimConfig: the shim's configuration (written only in CLI mode).
 *
 * <p>Go type: {@code persistapi.ShimConfig}.
 */
public record ShimConfig(@GoField("Path") String path, @GoField("Debug") boolean debug) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public ShimConfig {
    Objects.requireNonNull(path, "Path");
  }
}
