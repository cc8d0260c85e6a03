package org.vmm4j.core.api;

import java.util.Arrays;

/**
 * What the host offers QEMU, as the host check finds it; the command-line builder only reads it.
 *
 * @param kvmUsable whether KVM is usable: {@code /dev/kvm} exists <em>and</em> a probe guest boots
 *     (on a nested or PVM host {@code /dev/kvm} may exist while a guest hangs or {@code -cpu host}
 *     aborts); {@link Accelerator#AUTO} picks TCG otherwise
 * @param qemuSeccomp whether the QEMU binary has seccomp ({@code -sandbox} appears in {@code
 *     qemu-system-x86_64 -help}); {@code -sandbox on,...} is emitted only then
 * @param vhostVsock whether {@code /dev/vhost-vsock} is usable ({@code UseVSock} needs it)
 * @param nested whether this host is itself a guest ({@code hypervisor} in {@code /proc/cpuinfo}
 *     flags): with KVM and without {@code DisableNestingChecks}, virtio PCI devices get {@code
 *     disable-modern=true}, as Kata does
 * @param memTotalMiB the host's {@code MemTotal} in MiB ({@code maxmem} = this + 1024 + {@code
 *     MemOffset}, Kata's memory topology)
 */
public record HostCapabilities(
    boolean kvmUsable, boolean qemuSeccomp, boolean vhostVsock, boolean nested, long memTotalMiB) {

  public HostCapabilities {
    if (memTotalMiB <= 0) {
      throw new IllegalArgumentException("memTotalMiB must be positive: " + memTotalMiB);
    }
  }

  /**
   * Kata's host memory reading: the {@code MemTotal:} line of {@code /proc/meminfo} text, kB /
   * 1024.
   *
   * @throws HostException when the line is missing or zero
   */
  public static long memTotalMiB(String meminfo) {
    for (String line : meminfo.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 2 && f[0].equals("MemTotal:")) {
        long mib = Long.parseLong(f[1]) / 1024;
        if (mib > 0) {
          return mib;
        }
      }
    }
    throw new HostException("host memory: no MemTotal in /proc/meminfo");
  }

  /**
   * Kata's {@code RunningOnVMM}: the first {@code flags} line of {@code /proc/cpuinfo} text has a
   * {@code hypervisor} token.
   */
  public static boolean runningOnVmm(String cpuinfo) {
    for (String line : cpuinfo.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length > 0 && f[0].startsWith("flags")) {
        return Arrays.asList(f).contains("hypervisor");
      }
    }
    return false;
  }
}
