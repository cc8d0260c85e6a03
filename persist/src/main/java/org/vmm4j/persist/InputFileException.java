package org.vmm4j.persist;

import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * A file given to vmm4j that {@link InputFiles} refuses to open or read: not a regular file (or
 * block device, for a disk), or larger than its limit. An I/O failure like {@link
 * java.nio.file.NoSuchFileException}, which the same calls throw: {@link #getFile()} is the path as
 * given, {@link #getReason()} what is wrong with it, e.g. {@code not a regular file (a FIFO)}.
 */
public final class InputFileException extends FileSystemException {
  private static final long serialVersionUID = 1L;

  InputFileException(Path file, String reason) {
    super(file.toString(), null, reason);
  }
}
