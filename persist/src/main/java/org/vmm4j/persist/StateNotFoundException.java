package org.vmm4j.persist;

import java.nio.file.Path;

/** A sandbox (or a global file) that has no persisted state. */
public final class StateNotFoundException extends PersistException {
  private final transient Path path;

  StateNotFoundException(String operation, Path path) {
    super(operation + ": no state at " + path);
    this.path = path;
  }

  /** The file that does not exist. */
  public Path path() {
    return path;
  }
}
