package org.vmm4j.testguest;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The cache directory's layout: entries {@code <package>_<version>_<key16>/}, kept .debs in {@code
 * downloads/}, builds in progress in {@code tmp/}, and {@code .lock}. Entries appear by an atomic
 * rename of a finished build; only the lock holder builds, replaces, prunes or cleans tmp/.
 */
final class GuestCache {
  /** Entries kept by {@link #prune}: the most recently used ones. */
  public static final int KEEP_ENTRIES = 3;

  private final Path root;

  public GuestCache(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  public Path entry(KernelPackage pkg, String key) {
    return root.resolve(
        (pkg.name() + "_" + pkg.version()).replaceAll("[^A-Za-z0-9.+_-]", "_")
            + "_"
            + key.substring(0, 16));
  }

  public Path downloads() {
    return root.resolve("downloads");
  }

  /** A fresh empty directory under tmp/ for one build. */
  public Path newTemp() throws IOException {
    Files.createDirectories(root.resolve("tmp"));
    return Files.createTempDirectory(root.resolve("tmp"), "build-");
  }

  /** Removes leftovers of builds that crashed (call with the lock held). */
  public void cleanTemp() throws IOException {
    deleteTree(root.resolve("tmp"));
  }

  /** Atomically makes {@code built} the entry {@code entry}, replacing what was there. */
  public void publish(Path built, Path entry) throws IOException {
    if (Files.exists(entry)) {
      Path old = newTemp().resolve("replaced");
      Files.move(entry, old, StandardCopyOption.ATOMIC_MOVE);
    }
    try {
      Files.move(built, entry, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new TestGuestException("test guest build: cannot rename into " + entry + ": " + e, e);
    }
  }

  /** Marks an entry as used now (its manifest's mtime orders {@link #prune}). */
  public void touch(Path entry) {
    try {
      Files.setLastModifiedTime(
          entry.resolve(Manifest.NAME), FileTime.fromMillis(System.currentTimeMillis()));
    } catch (IOException ignored) {
      // only pruning order suffers
    }
  }

  /** Deletes all but the {@link #KEEP_ENTRIES} most recently used entries, and other .debs. */
  public void prune(Path keepDeb, Consumer<String> progress) throws IOException {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, "*_*_*")) {
      ds.forEach(entries::add);
    }
    entries.sort(Comparator.comparing(GuestCache::lastUse).reversed());
    for (Path old : entries.subList(Math.min(KEEP_ENTRIES, entries.size()), entries.size())) {
      progress.accept("test guest: removing old cache entry " + old.getFileName());
      deleteTree(old);
    }
    if (Files.isDirectory(downloads())) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(downloads())) {
        for (Path p : ds) {
          if (!p.equals(keepDeb)) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
  }

  private static long lastUse(Path entry) {
    try {
      return Files.getLastModifiedTime(entry.resolve(Manifest.NAME)).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
