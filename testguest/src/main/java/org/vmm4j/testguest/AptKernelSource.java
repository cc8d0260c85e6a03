package org.vmm4j.testguest;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the kernel with apt-cache and fetches it with {@code apt-get download}. Without an explicit
 * package it follows the meta package {@code linux-image-amd64} to the versioned image package its
 * candidate depends on (the newest kernel of the release). Missing package lists are fetched with
 * {@code apt-get update} when running as root, else it fails saying so.
 */
final class AptKernelSource implements KernelSource {
  public static final String META_PACKAGE = "linux-image-amd64";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
  static final Path LISTS = Path.of("/var/lib/apt/lists");
  private static final Pattern DEPENDS =
      Pattern.compile(
          "(?m)^Depends:.*?\\b(linux-image-[a-z0-9.+-]+-amd64) \\(= ([A-Za-z0-9.+~:-]+)\\)");
  private static final Pattern VERSION = Pattern.compile("(?m)^Version:\\s*(\\S+)\\s*$");

  private final String explicitPackage;
  private final Duration timeout;
  private final Path lists;
  private final ResolveMemo memo;

  /**
   * @param explicitPackage a package name to use instead of following the meta package, or null
   * @param memoFile where the answer is remembered while apt's package lists stay the same
   *     (apt-cache takes over a second per call when apt keeps no binary cache)
   */
  public AptKernelSource(String explicitPackage, Duration timeout, Path memoFile) {
    this(explicitPackage, timeout, memoFile, LISTS);
  }

  AptKernelSource(String explicitPackage, Duration timeout, Path memoFile, Path lists) {
    this.explicitPackage = explicitPackage;
    this.timeout = timeout;
    this.lists = lists;
    this.memo = new ResolveMemo(memoFile);
  }

  @Override
  public KernelPackage resolve(Consumer<String> progress) {
    ensureLists(progress);
    String stamp = listsStamp();
    String want = explicitPackage != null ? explicitPackage : META_PACKAGE;
    KernelPackage known = memo.read(want, stamp);
    if (known != null) {
      return known;
    }
    KernelPackage pkg = explicitPackage != null ? showExplicit(explicitPackage) : followMeta();
    memo.write(want, stamp, pkg);
    return pkg;
  }

  @Override
  public Path download(KernelPackage pkg, Path dir, Consumer<String> progress) {
    progress.accept("test guest: apt-get download " + pkg.name() + "=" + pkg.version());
    List<String> cmd = new ArrayList<>(List.of("apt-get", "download", "-q"));
    if (Hosts.isRoot()) {
      cmd.addAll(List.of("-o", "APT::Sandbox::User=root"));
    }
    cmd.add(pkg.name() + "=" + pkg.version());
    Exec.check(cmd, dir, null, timeout);
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, pkg.name() + "_*.deb")) {
      for (Path p : ds) {
        return p;
      }
    } catch (IOException e) {
      throw new TestGuestException("test guest build: listing " + dir + ": " + e, e);
    }
    throw new TestGuestException(
        "test guest build: apt-get download " + pkg + " left no .deb in " + dir);
  }

  /** The versioned image package (and version) that the meta package's candidate depends on. */
  private KernelPackage followMeta() {
    Exec.Result r = show(META_PACKAGE);
    KernelPackage pkg = r.ok() ? metaDependency(r.output()) : null;
    if (pkg == null) {
      throw new TestGuestException(
          "test guest build: cannot resolve the kernel package: 'apt-cache show "
              + META_PACKAGE
              + "' names no linux-image-*-amd64 (= version) ("
              + r.tail(300)
              + "); run apt-get update");
    }
    return pkg;
  }

  private KernelPackage showExplicit(String name) {
    Exec.Result r = show(name);
    String version = r.ok() ? version(r.output()) : null;
    if (version == null) {
      throw new TestGuestException(
          "test guest build: kernel package '"
              + name
              + "' is not known to apt ('apt-cache show' says: "
              + r.tail(200)
              + "); check the name, or run apt-get update");
    }
    return new KernelPackage(name, version);
  }

  private Exec.Result show(String name) {
    return Exec.run(List.of("apt-cache", "show", "--no-all-versions", name), tmp(), null, timeout);
  }

  static KernelPackage metaDependency(String aptCacheShow) {
    Matcher m = DEPENDS.matcher(aptCacheShow);
    return m.find() ? new KernelPackage(m.group(1), m.group(2)) : null;
  }

  static String version(String aptCacheShow) {
    Matcher m = VERSION.matcher(aptCacheShow);
    return m.find() ? m.group(1) : null;
  }

  /**
   * Names, sizes and times of the package lists and apt preferences: what apt-cache answers from.
   */
  private String listsStamp() {
    StringBuilder sb = new StringBuilder();
    for (Path dir : List.of(lists, Path.of("/etc/apt/preferences.d"))) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
        List<Path> all = new ArrayList<>();
        ds.forEach(all::add);
        all.sort(null);
        for (Path p : all) {
          sb.append(p.getFileName())
              .append(' ')
              .append(Files.size(p))
              .append(' ')
              .append(Files.getLastModifiedTime(p).toMillis())
              .append('\n');
        }
      } catch (IOException e) {
        sb.append(dir).append(" -\n");
      }
    }
    Path pref = Path.of("/etc/apt/preferences");
    try {
      sb.append("preferences ").append(Files.getLastModifiedTime(pref).toMillis());
    } catch (IOException e) {
      sb.append("preferences -");
    }
    return sb.toString();
  }

  private void ensureLists(Consumer<String> progress) {
    if (hasLists()) {
      return;
    }
    if (!Hosts.isRoot()) {
      throw new TestGuestException(
          "test guest build: apt has no package lists in "
              + lists
              + " (needed for apt-get download of the kernel): run 'apt-get update' as root, or"
              + " scripts/deps.sh");
    }
    progress.accept("test guest: apt has no package lists, running apt-get update");
    Exec.check(List.of("apt-get", "update", "-q"), tmp(), null, timeout);
  }

  private boolean hasLists() {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(lists, "*_Packages*")) {
      return ds.iterator().hasNext();
    } catch (IOException e) {
      return false;
    }
  }

  private static Path tmp() {
    return Path.of(System.getProperty("java.io.tmpdir"));
  }
}
