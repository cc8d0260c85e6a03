package org.vmm4j.testguest;

import java.util.Map;

/**
 * The guest's CPUs ({@code cpus}): the kernel's lists ({@code 0-1,3}) and each CPU's online flag.
 *
 * @param online {@code /sys/devices/system/cpu/online}
 * @param present {@code .../present} (hot-added CPUs appear here, offline at first)
 * @param possible {@code .../possible}
 * @param nproc what {@code nproc} says
 * @param perCpu CPU number to online
 */
public record GuestCpus(
    String online, String present, String possible, int nproc, Map<Integer, Boolean> perCpu) {
  public GuestCpus {
    perCpu = Map.copyOf(perCpu);
  }

  public long onlineCount() {
    return perCpu.values().stream().filter(b -> b).count();
  }

  public int presentCount() {
    return perCpu.size();
  }
}
