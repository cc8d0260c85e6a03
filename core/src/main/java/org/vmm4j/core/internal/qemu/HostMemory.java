package org.vmm4j.core.internal.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What decides whether the host lets QEMU allocate guest RAM: its memory and swap, and the kernel's
 * overcommit policy. With {@code vm.overcommit_memory=0} (the kernel's heuristic) one private
 * allocation larger than RAM + swap fails, so QEMU 7.2 exits with {@code cannot set up guest memory
 * 'dimm1': Cannot allocate memory} (measured here: 24151 MiB of plain RAM starts on a host with
 * {@code MemTotal: 24731400 kB} and no swap, 24152 MiB does not; a memfd or file backend of any
 * size starts).
 *
 * @param memTotalKiB {@code MemTotal} of {@code /proc/meminfo}
 * @param swapTotalKiB {@code SwapTotal} of {@code /proc/meminfo}
 * @param overcommitMode {@code /proc/sys/vm/overcommit_memory} (0 heuristic, 1 always, 2 never)
 */
public record HostMemory(long memTotalKiB, long swapTotalKiB, int overcommitMode) {
  /** The kernel's heuristic overcommit mode, the default. */
  public static final int OVERCOMMIT_HEURISTIC = 0;

  /** This host's, from {@code /proc}; empty when it cannot be read. */
  public static Optional<HostMemory> read() {
    try {
      String meminfo = Files.readString(Path.of("/proc/meminfo"));
      String mode = Files.readString(Path.of("/proc/sys/vm/overcommit_memory")).trim();
      return Optional.of(
          new HostMemory(
              kib(meminfo, "MemTotal:"), kib(meminfo, "SwapTotal:"), Integer.parseInt(mode)));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The value (kB) of the {@code name} line of {@code /proc/meminfo} text; 0 when absent. */
  static long kib(String meminfo, String name) {
    for (String line : meminfo.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 2 && f[0].equals(name)) {
        return Long.parseLong(f[1]);
      }
    }
    return 0;
  }

  /** Whether one private allocation of {@code mib} MiB fails under this policy. */
  public boolean refusesPrivate(long mib) {
    return overcommitMode == OVERCOMMIT_HEURISTIC && mib * 1024 > memTotalKiB + swapTotalKiB;
  }
}
