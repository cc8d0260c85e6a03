package org.vmm4j.testing.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every entry under a directory, links not followed: relative path to kind, size, mode and
 * modification time, so that two snapshots differ when anything under it was created, removed,
 * written or changed.
 */
public final class TreeSnapshot {
  private TreeSnapshot() {}

  /** The snapshot of {@code dir} (which must exist). */
  public static Map<String, String> of(Path dir) {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.toList()) {
        Map<String, Object> a =
            Files.readAttributes(
                p, "unix:mode,uid,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
        String link = Files.isSymbolicLink(p) ? " -> " + Files.readSymbolicLink(p) : "";
        out.put(
            dir.relativize(p).toString(),
            String.format(
                    "%o uid %s %sB @%s",
                    (Integer) a.get("mode"), a.get("uid"), a.get("size"), a.get("lastModifiedTime"))
                + link);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
