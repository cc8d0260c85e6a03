package org.vmm4j.persist;

import java.nio.file.Path;

/** A store operation that failed on the file system; names the operation and the path. */
public final class StoreException extends PersistException {
  private final transient Path path;

  StoreException(String operation, Path path, Throwable cause) {
    super(operation + " " + path + ": " + describe(cause), cause);
    this.path = path;
  }

  StoreException(String operation, Path path, String problem) {
    super(operation + " " + path + ": " + problem);
    this.path = path;
  }

  /** The file or directory the operation failed on. */
  public Path path() {
    return path;
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    String type = t.getClass().getSimpleName();
    return m == null ? type : type + " " + m;
  }
}
