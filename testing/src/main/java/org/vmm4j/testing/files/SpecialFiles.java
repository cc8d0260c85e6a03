package org.vmm4j.testing.files;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files that are not what a reader expects, for tests of the readers of inputs (configs, state
 * files, disks): a FIFO (opening it for reading blocks until a writer comes), a link to {@code
 * /dev/zero} (endless) and a sparse file of any size (no disk space taken).
 */
public final class SpecialFiles {
  /** A character device that never ends. */
  public static final Path DEV_ZERO = Path.of("/dev/zero");

  private SpecialFiles() {}

  /** A FIFO at {@code path}, made by {@code mkfifo}. */
  public static Path fifo(Path path) throws IOException {
    try {
      Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
      if (p.waitFor() != 0 || !Files.exists(path)) {
        throw new IOException("mkfifo " + path + " failed: exit " + p.exitValue());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("mkfifo " + path + " interrupted", e);
    }
    return path;
  }

  /** A symbolic link at {@code path} to {@code target}. */
  public static Path link(Path path, Path target) throws IOException {
    return Files.createSymbolicLink(path, target);
  }

  /** A sparse regular file of {@code size} bytes at {@code path}. */
  public static Path sparse(Path path, long size) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "rw")) {
      f.setLength(size);
    }
    return path;
  }
}
