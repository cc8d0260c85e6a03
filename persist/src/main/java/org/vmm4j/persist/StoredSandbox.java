package org.vmm4j.persist;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** A sandbox's state and its containers' states (by container id, sorted), as loaded. */
public record StoredSandbox(SandboxState sandbox, Map<String, ContainerState> containers) {
  public StoredSandbox {
    Objects.requireNonNull(sandbox, "sandbox");
    containers = Collections.unmodifiableMap(new TreeMap<>(containers));
  }
}
