package org.vmm4j.core.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A disk plug refused because another sandbox of the same store has the same file (or block device)
 * plugged, and this one would write it: two guests that each think they own a disk corrupt it, and
 * QEMU does not stop them (vmm4j plugs disks with {@code share-rw=on}, as Kata does). Plug it
 * read-only, or allow shared writing ({@link DiskSpec#withSharedWrite}) for a disk made for it (a
 * cluster file system).
 */
public final class DiskInUseException extends HotplugRefusedException {
  private static final long serialVersionUID = 1L;

  private final Path file;
  private final String otherSandbox;

  public DiskInUseException(String message, Path file, String otherSandbox) {
    super(message);
    this.file = Objects.requireNonNull(file, "file");
    this.otherSandbox = Objects.requireNonNull(otherSandbox, "otherSandbox");
  }

  /** The disk asked for, as given. */
  public Path file() {
    return file;
  }

  /** The sandbox that has it plugged. */
  public String otherSandbox() {
    return otherSandbox;
  }
}
