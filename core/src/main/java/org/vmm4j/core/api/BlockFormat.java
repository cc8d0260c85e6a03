package org.vmm4j.core.api;

/** The image formats a hot-plugged disk may have ({@code blockdev-add} driver). */
public enum BlockFormat {
  RAW("raw"),
  QCOW2("qcow2");

  private final String driver;

  BlockFormat(String driver) {
    this.driver = driver;
  }

  /** The {@code blockdev-add} format driver, also {@code BlockDrive.Format}. */
  public String driver() {
    return driver;
  }

  /** The format named {@code name} ({@code raw}, {@code qcow2}). */
  public static BlockFormat of(String name) {
    for (BlockFormat f : values()) {
      if (f.driver.equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException("block format \"" + name + "\": raw or qcow2");
  }
}
