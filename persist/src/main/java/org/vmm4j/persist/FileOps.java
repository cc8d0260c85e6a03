package org.vmm4j.persist;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The file-system calls the store's crash-safe writes are made of. {@link #system()} is the real
 * thing; tests wrap it to see (and break) each step.
 */
public interface FileOps {

  /** The real file system. */
  static FileOps system() {
    return SystemFileOps.INSTANCE;
  }

  /** Creates a new file (it must not exist) for writing, mode exactly 0600 whatever the umask. */
  FileChannel createNew(Path file) throws IOException;

  /** Writes all of {@code data}. */
  void write(FileChannel file, ByteBuffer data) throws IOException;

  /** fsync(2) of a file's data and metadata. */
  void fsync(FileChannel file) throws IOException;

  /** rename(2): atomically replaces {@code target}. */
  void rename(Path source, Path target) throws IOException;

  /** fsync(2) of a directory, making the entries created, renamed or removed in it durable. */
  void fsyncDirectory(Path dir) throws IOException;

  /** Creates a directory (the parent exists), mode exactly 0700 whatever the umask. */
  void createDirectory(Path dir) throws IOException;

  /** Removes a file or an empty directory; nothing when it does not exist. */
  void delete(Path path) throws IOException;
}
