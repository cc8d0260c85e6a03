package org.vmm4j.persist;

import java.nio.file.Path;

/**
 * The store refused a path below its root that it did not make and cannot trust: a symbolic link
 * (the store follows none it did not create), something that is not a directory or a regular file
 * where it expects one, or a directory or file owned by another user or writable by group or
 * others. Nothing was written or removed. The message names the operation, the path, its owner
 * (uid) and mode.
 */
public final class UnsafePathException extends PersistException {
  private final transient Path path;

  UnsafePathException(String operation, Path path, String problem) {
    super(operation + ": refusing " + path + ": " + problem);
    this.path = path;
  }

  /** The path refused. */
  public Path path() {
    return path;
  }
}
