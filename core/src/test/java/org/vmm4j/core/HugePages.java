package org.vmm4j.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Test set-up for hugepage-backed guests: mounts hugetlbfs on {@code /dev/hugepages} when nothing
 * is mounted there and reserves enough 2 MiB pages; {@link #close()} puts both back.
 */
final class HugePages implements AutoCloseable {
  static final Path MOUNT = Path.of("/dev/hugepages");
  private static final Path NR = Path.of("/proc/sys/vm/nr_hugepages");

  private final boolean mounted;
  private final long previous;

  private HugePages(boolean mounted, long previous) {
    this.mounted = mounted;
    this.previous = previous;
  }

  /**
   * Prepares {@code mib} MiB of huge pages.
   *
   * @throws IllegalStateException with the reason when the host does not allow it
   */
  static HugePages reserve(long mib) throws IOException, InterruptedException {
    if (!Files.isWritable(NR)) {
      throw new IllegalStateException(NR + " is not writable (needs root)");
    }
    boolean mount = !Files.readString(Path.of("/proc/mounts")).contains(" " + MOUNT + " hugetlbfs");
    if (mount) {
      Files.createDirectories(MOUNT);
      run("mount", "-t", "hugetlbfs", "hugetlbfs", MOUNT.toString());
    }
    long previous = Long.parseLong(Files.readString(NR).trim());
    long free = meminfo("HugePages_Free:");
    long pageMib = meminfo("Hugepagesize:") / 1024;
    long needed = (mib + pageMib - 1) / pageMib;
    if (free < needed) {
      Files.writeString(NR, Long.toString(previous + needed - free));
      if (meminfo("HugePages_Free:") < needed) {
        new HugePages(mount, previous).close();
        throw new IllegalStateException("the kernel reserved fewer than " + needed + " huge pages");
      }
    }
    return new HugePages(mount, previous);
  }

  @Override
  public void close() throws IOException {
    Files.writeString(NR, Long.toString(previous));
    if (mounted) {
      try {
        run("umount", MOUNT.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static long meminfo(String key) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
      if (line.startsWith(key)) {
        return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
      }
    }
    throw new IOException("no " + key + " in /proc/meminfo");
  }

  private static void run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(
          String.join(" ", cmd) + " failed: " + new String(p.getInputStream().readAllBytes()));
    }
  }
}
