package org.vmm4j.testguest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;

/**
 * The kernel .deb, kept in the cache's downloads/ so a changed agent rebuilds without a download.
 */
final class Downloads {
  private Downloads() {}

  /** A .deb on disk; {@code kept} when it came from downloads/ rather than a fresh download. */
  public record Deb(Path path, boolean kept) {}

  public static Deb ensure(
      GuestCache cache, KernelSource source, KernelPackage pkg, Consumer<String> progress)
      throws IOException {
    Path kept =
        cache
            .downloads()
            .resolve(
                (pkg.name() + "_" + pkg.version()).replaceAll("[^A-Za-z0-9.+_-]", "_") + ".deb");
    if (Files.isRegularFile(kept)) {
      return new Deb(kept, true);
    }
    Files.createDirectories(cache.downloads());
    Path dir = cache.newTemp();
    try {
      long t0 = System.nanoTime();
      Path deb = source.download(pkg, dir, progress);
      progress.accept(
          String.format(
              "test guest: downloaded %s (%d MB) in %.1f s",
              deb.getFileName(), Files.size(deb) >> 20, (System.nanoTime() - t0) / 1e9));
      Files.move(deb, kept, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return new Deb(kept, false);
    } finally {
      GuestCache.deleteTree(dir);
    }
  }
}
