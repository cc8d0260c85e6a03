package org.vmm4j.core.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.vmm4j.core.api.HostCapabilities;
import org.vmm4j.core.api.HostException;

/**
 * Reads the host's files under a root ({@code /}, or a fake tree in tests): device nodes, {@code
 * /proc/meminfo}, {@code /proc/cpuinfo}, {@code /proc/mounts}.
 */
final class HostFiles {
  /** Whether this process may open a file read/write (as {@code access(2)} answers). */
  static final Predicate<Path> READ_WRITE = p -> Files.isReadable(p) && Files.isWritable(p);

  private final Path root;
  private final Predicate<Path> access;

  HostFiles(Path root, Predicate<Path> access) {
    this.root = root;
    this.access = access;
  }

  /** {@code abs} (an absolute host path) under the root. */
  Path under(Path abs) {
    return root.resolve(abs.toString().substring(1));
  }

  /** A device node: absent, present without read/write access, or usable. */
  HostItem device(String name, Path dev) {
    Path p = under(dev);
    if (!Files.exists(p)) {
      return new HostItem(name, dev, Availability.ABSENT, dev + " is absent");
    }
    if (!access.test(p)) {
      return new HostItem(name, dev, Availability.UNUSABLE, "no read/write access to " + dev);
    }
    return new HostItem(name, dev, Availability.USABLE, dev + " is present, read/write");
  }

  /**
   * A file under {@code /proc}.
   *
   * @throws HostException when it cannot be read
   */
  String proc(String name) {
    Path p = under(Path.of("/proc", name));
    try {
      return Files.readString(p);
    } catch (NoSuchFileException e) {
      throw new HostException(
          "host check: cannot read /proc/" + name + ": no such file (" + p + ")");
    } catch (IOException e) {
      throw new HostException("host check: cannot read /proc/" + name + ": " + e, e);
    }
  }

  /** A file under {@code /proc}, or empty when it cannot be read. */
  String procOrEmpty(String name) {
    try {
      return Files.readString(under(Path.of("/proc", name)));
    } catch (IOException e) {
      return "";
    }
  }

  HostResources resources(String meminfo, String cpuinfo) {
    return new HostResources(
        cpuCount(cpuinfo),
        HostCapabilities.memTotalMiB(meminfo),
        HostCapabilities.runningOnVmm(cpuinfo));
  }

  /** The {@code processor} lines of {@code /proc/cpuinfo}; the JVM's count when there are none. */
  static int cpuCount(String cpuinfo) {
    int n = 0;
    for (String line : cpuinfo.split("\n")) {
      String[] kv = line.split(":", 2);
      if (kv.length == 2 && kv[0].strip().equals("processor")) {
        n++;
      }
    }
    return n > 0 ? n : Runtime.getRuntime().availableProcessors();
  }

  HugePages hugePages(String meminfo, String mounts) {
    long size = meminfoValue(meminfo, "Hugepagesize:");
    long total = meminfoValue(meminfo, "HugePages_Total:");
    long free = meminfoValue(meminfo, "HugePages_Free:");
    List<Path> points = hugetlbfsMounts(mounts);
    Path want = HostCheck.HUGEPAGES_MOUNT;
    String pages = free + " of " + total + " reserved " + size + " kB pages free";
    if (size <= 0) {
      return new HugePages(
          0, 0, 0, points, false, "the kernel has no huge pages (no Hugepagesize)");
    }
    if (!points.contains(want)) {
      String where =
          points.isEmpty()
              ? "no hugetlbfs is mounted"
              : "hugetlbfs is mounted on " + join(points) + ", not on " + want;
      return new HugePages(size, total, free, points, false, where + "; " + pages);
    }
    if (total == 0) {
      return new HugePages(
          size,
          total,
          free,
          points,
          false,
          "no huge pages reserved (write a count to /proc/sys/vm/nr_hugepages)");
    }
    if (free == 0) {
      return new HugePages(size, total, free, points, false, "all " + total + " huge pages in use");
    }
    long mib = free * size / 1024;
    return new HugePages(size, total, free, points, true, pages + " (" + mib + " MiB) on " + want);
  }

  /** A {@code /proc/meminfo} value (the number after the key), 0 when the key is missing. */
  static long meminfoValue(String meminfo, String key) {
    for (String line : meminfo.split("\n")) {
      String[] f = line.strip().split("\\s+");
      if (f.length >= 2 && f[0].equals(key)) {
        try {
          return Long.parseLong(f[1]);
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 0;
  }

  /** Mount points of type hugetlbfs in {@code /proc/mounts} text (octal escapes decoded). */
  static List<Path> hugetlbfsMounts(String mounts) {
    List<Path> points = new ArrayList<>();
    for (String line : mounts.split("\n")) {
      String[] f = line.strip().split("\\s+");
      if (f.length >= 3 && f[2].equals("hugetlbfs")) {
        points.add(Path.of(unescape(f[1])));
      }
    }
    return points;
  }

  private static String unescape(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static String join(List<Path> ps) {
    return String.join(", ", ps.stream().map(Path::toString).toList());
  }
}
