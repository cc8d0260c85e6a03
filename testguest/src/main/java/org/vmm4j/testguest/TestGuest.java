package org.vmm4j.testguest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The test guest: a Debian kernel ({@code linux-image-*-amd64}, the one the meta package {@code
 * linux-image-amd64} points to) and a busybox initramfs with the agent, built once and cached.
 *
 * <p>{@code TestGuest.withDefaults().ensureBuilt(System.err::println)} returns the files, building
 * them when the cache has no valid entry. The cache key covers the kernel package and version,
 * busybox and the builder's own inputs (init, agent, module list). Builds are serialized by a lock
 * (threads and processes), done in a temp dir and published by rename; an entry whose files do not
 * match its manifest's SHA-256 is reported and rebuilt.
 *
 * <p>Cache directory: {@code $VMM4J_CACHE/testguest}, else {@code
 * ${XDG_CACHE_HOME:-$HOME/.cache}/vmm4j/testguest} (also for root: CI keeps it between runs). The
 * kernel package can be forced with {@code $VMM4J_TESTGUEST_KERNEL}; busybox is {@code
 * /bin/busybox} from busybox-static.
 */
public final class TestGuest {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
  public static final String CACHE_ENV = "VMM4J_CACHE";
  public static final String KERNEL_ENV = "VMM4J_TESTGUEST_KERNEL";
  public static final Path DEFAULT_BUSYBOX = Path.of("/bin/busybox");

  /** Bump when the build's output changes for the same inputs. */
  static final String BUILD_FORMAT = "vmm4j-testguest 1";

  private final GuestCache cache;
  private final KernelSource source;
  private final Path busybox;
  private final Duration timeout;

  private TestGuest(Builder b) {
    this.cache =
        new GuestCache(b.cacheDir != null ? b.cacheDir : vmm4jCacheRoot().resolve("testguest"));
    this.timeout = b.timeout;
    this.source =
        b.source != null
            ? b.source
            : new AptKernelSource(
                b.kernelPackage, timeout, cache.root().resolve("apt-resolved.properties"));
    this.busybox = b.busybox;
  }

  /** A test guest with the default cache, kernel and busybox (environment variables apply). */
  public static TestGuest withDefaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code $VMM4J_CACHE}, else {@code ${XDG_CACHE_HOME:-$HOME/.cache}/vmm4j}. */
  public static Path vmm4jCacheRoot() {
    String env = System.getenv(CACHE_ENV);
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "vmm4j");
    }
    return Path.of(System.getProperty("user.home"), ".cache", "vmm4j");
  }

  public Path cacheDir() {
    return cache.root();
  }

  /**
   * The built guest: from the cache when its entry is valid, else built now (progress lines go to
   * {@code progress}). Throws {@link TestGuestException} naming what failed.
   */
  public GuestArtifacts ensureBuilt(Consumer<String> progress) {
    Objects.requireNonNull(progress);
    GuestFiles files = GuestFiles.load();
    byte[] bb = readBusybox();
    KernelPackage pkg = source.resolve(progress);
    String key = key(pkg, files, bb);
    Path entry = cache.entry(pkg, key);
    if (Files.isDirectory(entry)) {
      try {
        return use(entry, key);
      } catch (TestGuestException corrupt) {
        progress.accept(corrupt.getMessage() + ": rebuilding");
      }
    }
    try {
      Files.createDirectories(cache.root());
    } catch (IOException e) {
      throw new TestGuestException("test guest build: cannot create " + cache.root() + ": " + e, e);
    }
    try (CacheLock lock = CacheLock.acquire(cache.root(), timeout, progress)) {
      if (Files.isDirectory(entry)) {
        try {
          return use(entry, key);
        } catch (TestGuestException corrupt) {
          // reported above, or found by another process: rebuild below
        }
      }
      return buildLocked(pkg, key, entry, files, bb, progress);
    } catch (IOException e) {
      throw new TestGuestException("test guest build: in " + cache.root() + ": " + e, e);
    }
  }

  /**
   * Checks a cache entry against its manifest (sizes and SHA-256) and returns its artifacts; throws
   * {@link TestGuestException} "test guest cache entry DIR is corrupt: ..." otherwise.
   */
  public static GuestArtifacts verify(Path entry) {
    return artifacts(entry, Manifest.verify(entry, null));
  }

  private GuestArtifacts use(Path entry, String key) {
    GuestArtifacts a = artifacts(entry, Manifest.verify(entry, key));
    cache.touch(entry);
    return a;
  }

  private GuestArtifacts buildLocked(
      KernelPackage pkg,
      String key,
      Path entry,
      GuestFiles files,
      byte[] bb,
      Consumer<String> progress)
      throws IOException {
    long t0 = System.nanoTime();
    progress.accept("test guest: building from " + pkg + " into " + entry);
    cache.cleanTemp();
    Path tmp = cache.newTemp();
    try {
      Downloads.Deb deb = Downloads.ensure(cache, source, pkg, progress);
      GuestBuild build = new GuestBuild(files, bb, timeout, progress);
      Manifest m;
      try {
        m =
            build.build(
                pkg,
                deb.path(),
                key,
                tmp.resolve("pkg"),
                Files.createDirectory(tmp.resolve("out")));
      } catch (TestGuestException e) {
        if (!deb.kept()) {
          throw e;
        }
        deb = redownload(pkg, deb, e, tmp, progress);
        m = build.build(pkg, deb.path(), key, tmp.resolve("pkg"), tmp.resolve("out"));
      }
      GuestCache.deleteTree(tmp.resolve("pkg"));
      cache.publish(tmp.resolve("out"), entry);
      cache.prune(deb.path(), progress);
      progress.accept(
          String.format(
              "test guest: built %s in %.1f s",
              entry.getFileName(), (System.nanoTime() - t0) / 1e9));
      return artifacts(entry, m);
    } finally {
      GuestCache.deleteTree(tmp);
    }
  }

  /** A kept .deb may be damaged: fetch it again, once, and empty the build's dirs. */
  private Downloads.Deb redownload(
      KernelPackage pkg,
      Downloads.Deb kept,
      TestGuestException e,
      Path tmp,
      Consumer<String> progress)
      throws IOException {
    progress.accept(
        "test guest: building from the kept "
            + kept.path().getFileName()
            + " failed ("
            + e.getMessage()
            + "); downloading it again");
    Files.deleteIfExists(kept.path());
    GuestCache.deleteTree(tmp.resolve("pkg"));
    GuestCache.deleteTree(tmp.resolve("out"));
    Files.createDirectory(tmp.resolve("out"));
    return Downloads.ensure(cache, source, pkg, progress);
  }

  private static GuestArtifacts artifacts(Path entry, Manifest m) {
    return new GuestArtifacts(
        entry,
        entry.resolve("vmlinux"),
        entry.resolve("bzImage"),
        entry.resolve("initramfs.cpio.gz"),
        m.kernelVersion(),
        m.kernelPackage(),
        m.packageVersion(),
        m.key());
  }

  static String key(KernelPackage pkg, GuestFiles files, byte[] busybox) {
    var md = Manifest.digest();
    md.update((BUILD_FORMAT + "\n" + pkg.name() + " " + pkg.version() + "\n").getBytes());
    md.update(Manifest.digest().digest(busybox));
    files.digest(md);
    return HexFormat.of().formatHex(md.digest());
  }

  private byte[] readBusybox() {
    try {
      Elf elf = Elf.open(busybox);
      if (elf == null) {
        throw new TestGuestException(
            "test guest build: " + busybox + " is not an x86-64 ELF executable");
      }
      if (elf.hasInterpreter()) {
        throw new TestGuestException(
            "test guest build: "
                + busybox
                + " is dynamically linked: install busybox-static (scripts/deps.sh)");
      }
      return Files.readAllBytes(busybox);
    } catch (IOException e) {
      throw new TestGuestException(
          "test guest build: cannot read " + busybox + ": install busybox-static (scripts/deps.sh)",
          e);
    }
  }

  /** Options; unset ones take the defaults described on {@link TestGuest}. */
  public static final class Builder {
    private Path cacheDir;
    private String kernelPackage = System.getenv(KERNEL_ENV);
    private Path busybox = DEFAULT_BUSYBOX;
    private Duration timeout = DEFAULT_TIMEOUT;
    private KernelSource source;

    private Builder() {}

    /** The directory holding the cache entries (not the vmm4j cache root). */
    public Builder cacheDir(Path dir) {
      this.cacheDir = dir;
      return this;
    }

    /** A kernel image package to use instead of following {@code linux-image-amd64}. */
    public Builder kernelPackage(String name) {
      this.kernelPackage = name;
      return this;
    }

    public Builder busybox(Path path) {
      this.busybox = path;
      return this;
    }

    /** Deadline of each step (apt, unpack, xz) and of waiting for another build's lock. */
    public Builder timeout(Duration t) {
      this.timeout = t;
      return this;
    }

    Builder kernelSource(KernelSource s) {
      this.source = s;
      return this;
    }

    public TestGuest build() {
      return new TestGuest(this);
    }
  }
}
