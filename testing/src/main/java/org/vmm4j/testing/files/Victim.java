package org.vmm4j.testing.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * A directory outside the store that a planted link points at: two subdirectories with a file each,
 * a loose file, and a {@code .persist.json.tmp-*} file two minutes old (what the store's
 * stale-temporary cleanup would remove), all root's. {@link #untouched()} fails when anything in it
 * was created, removed, written or changed.
 */
public final class Victim {
  private final Path dir;
  private final Map<String, String> before;

  private Victim(Path dir) {
    this.dir = dir;
    this.before = TreeSnapshot.of(dir);
  }

  /** Creates the directory {@code dir} and its contents. */
  public static Victim create(Path dir) {
    try {
      Files.createDirectories(dir.resolve("a"));
      Files.createDirectories(dir.resolve("b"));
      Files.writeString(dir.resolve("a/data"), "a's data", StandardCharsets.UTF_8);
      Files.writeString(dir.resolve("b/data"), "b's data", StandardCharsets.UTF_8);
      Files.writeString(dir.resolve("keep.txt"), "keep", StandardCharsets.UTF_8);
      Path temp = dir.resolve(".persist.json.tmp-0123456789abcdef");
      Files.writeString(temp, "{", StandardCharsets.UTF_8);
      FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 120_000);
      for (String p :
          new String[] {"a/data", "b/data", "keep.txt", temp.getFileName().toString()}) {
        Files.setLastModifiedTime(dir.resolve(p), old);
      }
      for (String d : new String[] {"a", "b", "."}) {
        Files.setLastModifiedTime(dir.resolve(d), old);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Victim(dir);
  }

  public Path dir() {
    return dir;
  }

  /** A regular file in the victim, to point a link at. */
  public Path file() {
    return dir.resolve("keep.txt");
  }

  /** Whether everything under the directory is as it was when it was created. */
  public boolean untouched() {
    return TreeSnapshot.of(dir).equals(before);
  }

  /** The directory's snapshot now ({@link TreeSnapshot}), to compare with {@link #before()}. */
  public java.util.Map<String, String> now() {
    return TreeSnapshot.of(dir);
  }

  /** The directory's snapshot when it was created. */
  public java.util.Map<String, String> before() {
    return before;
  }
}
