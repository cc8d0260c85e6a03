package org.vmm4j.core.hotplug;

import java.time.Duration;
import java.util.Objects;
import org.vmm4j.qmp.QmpOptions;

/**
 * The deadlines of the hotplug flows (DESIGN decision 3).
 *
 * @param command each QMP command
 * @param deviceDeleted {@code device_del} until {@code DEVICE_DELETED} (then {@code qom-list
 *     /machine/peripheral} says what is true)
 * @param cpuEject {@code device_del} of a vCPU until its slot loses its {@code qom-path}
 * @param lock waiting for another CPU or memory operation of the same sandbox
 */
public record HotplugTimeouts(
    Duration command, Duration deviceDeleted, Duration cpuEject, Duration lock) {
  public static final Duration DEFAULT_COMMAND = QmpOptions.DEFAULT_COMMAND_TIMEOUT;
  public static final Duration DEFAULT_DEVICE_DELETED = QmpOptions.DEFAULT_DEVICE_DELETED_TIMEOUT;
  public static final Duration DEFAULT_CPU_EJECT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_LOCK = Duration.ofSeconds(60);

  public HotplugTimeouts {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(deviceDeleted, "deviceDeleted");
    Objects.requireNonNull(cpuEject, "cpuEject");
    Objects.requireNonNull(lock, "lock");
  }

  /** 5 s per command, 10 s for {@code DEVICE_DELETED} and a vCPU eject, 60 s for the lock. */
  public static HotplugTimeouts defaults() {
    return new HotplugTimeouts(
        DEFAULT_COMMAND, DEFAULT_DEVICE_DELETED, DEFAULT_CPU_EJECT, DEFAULT_LOCK);
  }

  public HotplugTimeouts withCommand(Duration d) {
    return new HotplugTimeouts(d, deviceDeleted, cpuEject, lock);
  }

  public HotplugTimeouts withDeviceDeleted(Duration d) {
    return new HotplugTimeouts(command, d, cpuEject, lock);
  }

  public HotplugTimeouts withCpuEject(Duration d) {
    return new HotplugTimeouts(command, deviceDeleted, d, lock);
  }

  public HotplugTimeouts withLock(Duration d) {
    return new HotplugTimeouts(command, deviceDeleted, cpuEject, d);
  }
}
