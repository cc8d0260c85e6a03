package org.vmm4j.core.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Huge pages: a hugetlbfs on /dev/hugepages and free reserved pages, else why not. */
class HugePagesTest {
  private static final HostFiles FILES = new HostFiles(Path.of("/"), HostFiles.READ_WRITE);
  private static final String MOUNTED =
      "proc /proc proc rw 0 0\nhugetlbfs /dev/hugepages hugetlbfs rw,relatime,pagesize=2M 0 0\n";

  private static String meminfo(long total, long free) {
    return "MemTotal: 1000 kB\nHugePages_Total: "
        + total
        + "\nHugePages_Free: "
        + free
        + "\nHugepagesize:       2048 kB\n";
  }

  @Test
  void usableWithAMountAndFreePages() {
    HugePages h = FILES.hugePages(meminfo(512, 500), MOUNTED);
    assertThat(h.usable()).isTrue();
    assertThat(h.pageSizeKiB()).isEqualTo(2048);
    assertThat(h.total()).isEqualTo(512);
    assertThat(h.free()).isEqualTo(500);
    assertThat(h.freeMiB()).isEqualTo(1000);
    assertThat(h.mounts()).containsExactly(Path.of("/dev/hugepages"));
    assertThat(h.reason())
        .isEqualTo("500 of 512 reserved 2048 kB pages free (1000 MiB) on /dev/hugepages");
  }

  @Test
  void noMount() {
    HugePages h = FILES.hugePages(meminfo(0, 0), "proc /proc proc rw 0 0\n");
    assertThat(h.usable()).isFalse();
    assertThat(h.mounts()).isEmpty();
    assertThat(h.reason()).isEqualTo("no hugetlbfs is mounted; 0 of 0 reserved 2048 kB pages free");
  }

  @Test
  void mountedElsewhereWithAnEscapedPath() {
    HugePages h =
        FILES.hugePages(meminfo(8, 8), "none /mnt/huge\\040pages hugetlbfs rw,pagesize=2M 0 0\n");
    assertThat(h.usable()).isFalse();
    assertThat(h.mounts()).isEqualTo(List.of(Path.of("/mnt/huge pages")));
    assertThat(h.reason())
        .isEqualTo(
            "hugetlbfs is mounted on /mnt/huge pages, not on /dev/hugepages; 8 of 8 reserved"
                + " 2048 kB pages free");
  }

  @Test
  void mountedWithoutReservedPages() {
    HugePages h = FILES.hugePages(meminfo(0, 0), MOUNTED);
    assertThat(h.usable()).isFalse();
    assertThat(h.reason())
        .isEqualTo("no huge pages reserved (write a count to /proc/sys/vm/nr_hugepages)");
  }

  @Test
  void allPagesInUse() {
    HugePages h = FILES.hugePages(meminfo(16, 0), MOUNTED);
    assertThat(h.usable()).isFalse();
    assertThat(h.reason()).isEqualTo("all 16 huge pages in use");
  }
}
