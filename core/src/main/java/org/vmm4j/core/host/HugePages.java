package org.vmm4j.core.host;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Huge pages as vmm4j's hugepage-backed guest memory needs them: a {@code hugetlbfs} mounted on
 * {@link HostCheck#HUGEPAGES_MOUNT} ({@code /dev/hugepages}, where {@code memory-backend-file}
 * points) and free reserved pages ({@code /proc/meminfo}).
 *
 * @param pageSizeKiB {@code Hugepagesize} (the default huge page size), 0 when the kernel has none
 * @param total {@code HugePages_Total}: pages reserved
 * @param free {@code HugePages_Free}: reserved pages not in use
 * @param mounts the mount points of every {@code hugetlbfs} ({@code /proc/mounts})
 * @param usable a mount on {@code /dev/hugepages} and at least one free page
 * @param reason why (not), for a human
 */
public record HugePages(
    long pageSizeKiB, long total, long free, List<Path> mounts, boolean usable, String reason) {
  public HugePages {
    mounts = List.copyOf(mounts);
    Objects.requireNonNull(reason, "reason");
  }

  /** Free huge page memory in MiB. */
  public long freeMiB() {
    return free * pageSizeKiB / 1024;
  }
}
