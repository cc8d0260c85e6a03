package org.vmm4j.core.internal.hotplug;

import java.time.Duration;
import java.util.Objects;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.qmp.QmpOptions;

/**
 * The deadlines of a transaction's QMP work.
 *
 * @param command each QMP command
 * @param deviceDeleted {@code device_del} until {@code DEVICE_DELETED} (then {@code qom-list
 *     /machine/peripheral} says what is true)
 * @param cpuEject {@code device_del} of a vCPU until its slot loses its {@code qom-path}
 */
public record Deadlines(Duration command, Duration deviceDeleted, Duration cpuEject) {
  public Deadlines {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(deviceDeleted, "deviceDeleted");
    Objects.requireNonNull(cpuEject, "cpuEject");
  }

  /** A sandbox's deadlines: its QMP command and {@code DEVICE_DELETED} ones, and the vCPU eject. */
  public static Deadlines of(SandboxOptions options) {
    QmpOptions q = options.qmpOptions();
    return new Deadlines(q.commandTimeout(), q.deviceDeletedTimeout(), options.cpuEjectTimeout());
  }

  /** {@link SandboxOptions#defaults()}'s deadlines. */
  public static Deadlines defaults() {
    return of(SandboxOptions.defaults());
  }

  public Deadlines withCommand(Duration d) {
    return new Deadlines(d, deviceDeleted, cpuEject);
  }

  public Deadlines withDeviceDeleted(Duration d) {
    return new Deadlines(command, d, cpuEject);
  }

  public Deadlines withCpuEject(Duration d) {
    return new Deadlines(command, deviceDeleted, d);
  }

  /** {@code 250 ms}, {@code 10 s}: for messages. */
  static String format(Duration d) {
    return d.toMillis() % 1000 != 0 ? d.toMillis() + " ms" : d.toSeconds() + " s";
  }
}
