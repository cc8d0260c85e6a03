package org.vmm4j.core.internal.config;

import org.vmm4j.core.api.KataFacts;
import org.vmm4j.persist.HypervisorConfig;

/**
 * Kata's {@code HypervisorConfig.valid()} defaults (the same in 1.13 and 2.1) plus the defaults
 * katautils applies and vmm4j keeps for every source, whichever form the config comes in:
 *
 * <ul>
 *   <li>NumVCPUs 0 → 1; MemorySize 0 → 2048 MiB; DefaultBridges 0 → 1; MemSlots 0 → 10;
 *   <li>BlockDeviceDriver "" → virtio-scsi; HypervisorMachineType "" → pc; HypervisorPath "" →
 *       {@value #QEMU_PATH};
 *   <li>DefaultMaxVCPUs 0 → the host's CPU count, at most {@value #MAX_DEFAULT_VCPUS} (Kata 1.13's
 *       katautils default); an explicit value is kept (no clamp to the host's CPUs);
 *   <li>Msize9p 0 → {@value #MSIZE_9P} unless SharedFS is virtio-fs.
 * </ul>
 *
 * All of them are fields of Kata's persisted {@code HypervisorConfig}.
 */
public final class ConfigDefaults {
  /** The QEMU binary when {@code HypervisorPath} is empty (pc, q35 and microvm alike). */
  public static final String QEMU_PATH = "/usr/bin/qemu-system-x86_64";

  /** Kata's {@code MaxQemuVCPUs()} on amd64: the cap of the default {@code DefaultMaxVCPUs}. */
  public static final int MAX_DEFAULT_VCPUS = 240;

  public static final long MEMORY_MIB = 2048;
  public static final long MEM_SLOTS = 10;
  public static final long MSIZE_9P = 8192;

  private ConfigDefaults() {}

  /** Kata's fields {@code k} with every zero-valued default filled in. */
  public static HypervisorConfig apply(HypervisorConfig k, int hostCpus) {
    HypervisorConfig.Builder b = k.toBuilder();
    if (k.numVcpus() == 0) {
      b.numVcpus(1);
    }
    if (k.memorySize() == 0) {
      b.memorySize(MEMORY_MIB);
    }
    if (k.defaultBridges() == 0) {
      b.defaultBridges(1);
    }
    if (k.memSlots() == 0) {
      b.memSlots(MEM_SLOTS);
    }
    if (k.blockDeviceDriver().isEmpty()) {
      b.blockDeviceDriver(KataFacts.VIRTIO_SCSI);
    }
    if (k.hypervisorMachineType().isEmpty()) {
      b.hypervisorMachineType("pc");
    }
    if (k.hypervisorPath().isEmpty()) {
      b.hypervisorPath(QEMU_PATH);
    }
    if (k.defaultMaxVcpus() == 0) {
      b.defaultMaxVcpus(Math.min(Math.max(hostCpus, 1), MAX_DEFAULT_VCPUS));
    }
    if (k.msize9p() == 0 && !KataFacts.usesVirtioFs(k)) {
      b.msize9p(MSIZE_9P);
    }
    return b.build();
  }
}
