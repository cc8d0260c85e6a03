package org.vmm4j.core.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link Sandbox#reconcile} treats leftovers.
 *
 * @param removeLeftovers remove them from QEMU ({@code device_del} and its {@code DEVICE_DELETED},
 *     then {@code blockdev-del} of their nodes) instead of fencing them
 * @param commandTimeout each QMP command's deadline
 * @param deviceDeleted how long a {@code device_del} may take; past it, a device QEMU still has
 *     stays fenced
 */
public record ReconcileOptions(
    boolean removeLeftovers, Duration commandTimeout, Duration deviceDeleted) {
  /** Each QMP command's deadline by default. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(5);

  /** The {@code DEVICE_DELETED} deadline by default. */
  public static final Duration DEFAULT_DEVICE_DELETED = Duration.ofSeconds(10);

  public ReconcileOptions {
    Objects.requireNonNull(commandTimeout, "commandTimeout");
    Objects.requireNonNull(deviceDeleted, "deviceDeleted");
  }

  /** Report and fence leftovers, remove nothing. */
  public static ReconcileOptions defaults() {
    return new ReconcileOptions(false, DEFAULT_COMMAND_TIMEOUT, DEFAULT_DEVICE_DELETED);
  }

  /** Report leftovers and remove them from QEMU. */
  public static ReconcileOptions removingLeftovers() {
    return defaults().withRemoveLeftovers(true);
  }

  public ReconcileOptions withRemoveLeftovers(boolean remove) {
    return new ReconcileOptions(remove, commandTimeout, deviceDeleted);
  }

  public ReconcileOptions withCommandTimeout(Duration d) {
    return new ReconcileOptions(removeLeftovers, d, deviceDeleted);
  }

  public ReconcileOptions withDeviceDeleted(Duration d) {
    return new ReconcileOptions(removeLeftovers, commandTimeout, d);
  }
}
