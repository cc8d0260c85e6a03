package org.vmm4j.persist;

import java.util.Map;
import java.util.Objects;
import org.vmm4j.persist.codec.GoField;

/**
 * persistapi.ContainerConfig: a container's configuration saved with the sandbox.
 *
 * <p>Go type: {@code persistapi.ContainerConfig}.
 */
public record ContainerConfig(
    @GoField("ID") String id,
    @GoField("Annotations") Map<String, String> annotations,
    @GoField("RootFs") String rootFs,
    @GoField("Resources") LinuxResources resources) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public ContainerConfig {
    Objects.requireNonNull(id, "ID");
    Objects.requireNonNull(rootFs, "RootFs");
    Objects.requireNonNull(resources, "Resources");
    annotations = Copies.map(annotations);
  }
}
