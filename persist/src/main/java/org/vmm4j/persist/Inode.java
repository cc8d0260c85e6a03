package org.vmm4j.persist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * What lstat(2) (or stat(2)) says about one path: its owner and its {@code st_mode} (type and
 * permission bits).
 *
 * @param path the path
 * @param uid the owner
 * @param mode {@code st_mode}
 */
record Inode(Path path, int uid, int mode) {
  private static final int S_IFMT = 0170000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFLNK = 0120000;
  private static final int GROUP_OR_OTHER_WRITE = 0022;

  /** lstat(2) of {@code p}: a link is described, not followed; null when nothing is there. */
  static Inode lstat(Path p) throws IOException {
    return read(p, LinkOption.NOFOLLOW_LINKS);
  }

  /** stat(2) of {@code p} (links followed); null when nothing is there. */
  static Inode stat(Path p) throws IOException {
    return read(p);
  }

  private static Inode read(Path p, LinkOption... options) throws IOException {
    try {
      Map<String, Object> a = Files.readAttributes(p, "unix:uid,mode", options);
      return new Inode(p, (Integer) a.get("uid"), (Integer) a.get("mode"));
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  boolean isDirectory() {
    return (mode & S_IFMT) == S_IFDIR;
  }

  boolean isRegularFile() {
    return (mode & S_IFMT) == S_IFREG;
  }

  boolean isLink() {
    return (mode & S_IFMT) == S_IFLNK;
  }

  /** Whether group or others may write it. */
  boolean writableByOthers() {
    return (mode & GROUP_OR_OTHER_WRITE) != 0;
  }

  /**
   * {@code a directory (owner uid 0, mode 0755)}, {@code a symbolic link to /x (owner uid 0, mode
   * 0777)}.
   */
  String describe() {
    return kind() + " (owner uid " + uid + ", mode " + String.format("%04o", mode & 07777) + ")";
  }

  private String kind() {
    return switch (mode & S_IFMT) {
      case S_IFDIR -> "a directory";
      case S_IFREG -> "a regular file";
      case S_IFLNK -> "a symbolic link to " + target();
      case 0010000 -> "a fifo";
      case 0140000 -> "a socket";
      case 0020000 -> "a character device";
      case 0060000 -> "a block device";
      default -> String.format("a file of type %o", mode & S_IFMT);
    };
  }

  private String target() {
    try {
      return Files.readSymbolicLink(path).toString();
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }
}
