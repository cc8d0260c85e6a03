package org.vmm4j.persist;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Crash-safe file writes: a temporary file in the same directory, fsync, rename over the target,
 * fsync of the directory. A crash at any instant leaves the old or the new content, never a torn
 * file.
 */
final class AtomicFiles {
  /** A temporary file older than this was left by a crash and is removed by the next write. */
  static final Duration STALE_TEMP_AGE = Duration.ofMinutes(1);

  private static final String TEMP_MARK = ".tmp-";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final FileOps ops;

  AtomicFiles(FileOps ops) {
    this.ops = ops;
  }

  /** Replaces {@code target} with {@code data} atomically and durably. */
  void write(Path target, byte[] data) throws IOException {
    Path dir = target.getParent();
    Path tmp = dir.resolve("." + target.getFileName() + TEMP_MARK + randomHex());
    FileChannel ch = ops.createNew(tmp);
    boolean renamed = false;
    try {
      try {
        ops.write(ch, ByteBuffer.wrap(data));
        ops.fsync(ch);
      } finally {
        ch.close();
      }
      ops.rename(tmp, target);
      renamed = true;
    } finally {
      if (!renamed) {
        deleteQuietly(tmp);
      }
    }
    ops.fsyncDirectory(dir);
  }

  /**
   * Removes the temporary files of {@code target}'s writes in {@code dir} (regular files named as
   * {@link #write} names them) that a crashed writer left behind; nothing else.
   */
  void removeStaleTemps(Path dir, String target) throws IOException {
    Instant cutoff = Instant.now().minus(STALE_TEMP_AGE);
    try (DirectoryStream<Path> entries =
        Files.newDirectoryStream(dir, "." + target + TEMP_MARK + "*")) {
      for (Path p : entries) {
        Inode i = Inode.lstat(p);
        if (i == null || !i.isRegularFile() || !isTemp(p.getFileName().toString(), target)) {
          continue;
        }
        try {
          FileTime t = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
          if (t.toInstant().isBefore(cutoff)) {
            ops.delete(p);
          }
        } catch (NoSuchFileException e) {
          // removed meanwhile
        }
      }
    }
  }

  /** Whether {@code name} is the name {@link #write} gives a temporary file of {@code target}. */
  static boolean isTemp(String name, String target) {
    String prefix = "." + target + TEMP_MARK;
    return name.startsWith(prefix)
        && name.length() > prefix.length()
        && name.substring(prefix.length())
            .chars()
            .allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f');
  }

  private void deleteQuietly(Path p) {
    try {
      ops.delete(p);
    } catch (IOException e) {
      // the write already failed; a leftover temporary file is removed later
    }
  }

  private static String randomHex() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
