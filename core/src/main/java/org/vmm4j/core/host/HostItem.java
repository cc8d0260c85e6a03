package org.vmm4j.core.host;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One device of the host check.
 *
 * @param name a short name for reports ({@code kvm}, {@code tun}, {@code vhost-net}, {@code
 *     vhost-vsock})
 * @param path the device file as the host names it ({@code /dev/kvm}), whatever root was checked
 * @param availability absent, unusable, unknown or usable
 * @param reason why, for a human ("/dev/kvm is absent", "probe guest booted in 0.42 s")
 */
public record HostItem(String name, Path path, Availability availability, String reason) {
  public HostItem {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(availability, "availability");
    Objects.requireNonNull(reason, "reason");
  }

  /** Whether the device file exists. */
  public boolean present() {
    return availability != Availability.ABSENT;
  }

  /** Whether vmm4j can use it. */
  public boolean usable() {
    return availability == Availability.USABLE;
  }
}
