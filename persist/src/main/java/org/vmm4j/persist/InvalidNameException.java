package org.vmm4j.persist;

/**
 * A sandbox or container id, or a store-relative path, that {@link Ids} refuses. Raised before the
 * name touches the file system.
 */
public final class InvalidNameException extends PersistException {
  private final String name;

  InvalidNameException(String what, String name, String rule) {
    super("invalid " + what + " \"" + name + "\": " + rule);
    this.name = name;
  }

  /** The refused name. */
  public String name() {
    return name;
  }
}
