package org.vmm4j.persist;

import java.util.Objects;
import org.vmm4j.persist.codec.GoField;

/**
 * persistapi.ProxyConfig: the agent proxy's configuration (Kata 1.13).
 *
 * <p>Go type: {@code persistapi.ProxyConfig}.
 */
public record ProxyConfig(@GoField("Path") String path, @GoField("Debug") boolean debug) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public ProxyConfig {
    Objects.requireNonNull(path, "Path");
  }
}
