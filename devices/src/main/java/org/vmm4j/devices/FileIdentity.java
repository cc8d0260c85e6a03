package org.vmm4j.devices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a host file is, whatever path reaches it (a symbolic link, {@code ./x}, a hard link): an
 * image file is its file system's device and its inode, a block device is its device number. Read
 * from the file system when asked, never recorded: Kata's schema keeps only the path.
 *
 * @param blockDevice whether the file is a block device
 * @param device a block device's device number ({@code st_rdev}); else the device of the file
 *     system that holds the file ({@code st_dev})
 * @param inode the file's inode; 0 for a block device (its number says it all)
 */
public record FileIdentity(boolean blockDevice, long device, long inode) {
  private static final int S_IFMT = 0170000;
  private static final int S_IFBLK = 0060000;

  /** A block device of device number {@code major:minor} (Linux's {@code makedev()}). */
  public static FileIdentity blockDevice(long major, long minor) {
    long dev =
        (minor & 0xffL)
            | ((major & 0xfffL) << 8)
            | ((minor & ~0xffL) << 12)
            | ((major & ~0xfffL) << 32);
    return new FileIdentity(true, dev, 0);
  }

  /** What {@code d} is: a block device by its number when it has one, else its file. */
  static Optional<FileIdentity> of(HostDevice d) {
    if (d.major() != 0 || d.minor() != 0) {
      return Optional.of(blockDevice(d.major(), d.minor()));
    }
    return of(d.hostPath());
  }

  /**
   * The identity of the file at {@code path}, its links followed; empty when there is none to read
   * (no such file, no permission, an empty or relative path: a relative path means a different file
   * to every process).
   */
  public static Optional<FileIdentity> of(String path) {
    if (path == null || path.isEmpty()) {
      return Optional.empty();
    }
    try {
      Path p = Path.of(path);
      if (!p.isAbsolute()) {
        return Optional.empty();
      }
      Map<String, Object> a = Files.readAttributes(p, "unix:mode,dev,ino,rdev");
      if (((Integer) a.get("mode") & S_IFMT) == S_IFBLK) {
        return Optional.of(new FileIdentity(true, (Long) a.get("rdev"), 0));
      }
      return Optional.of(new FileIdentity(false, (Long) a.get("dev"), (Long) a.get("ino")));
    } catch (IOException | InvalidPathException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }
}
