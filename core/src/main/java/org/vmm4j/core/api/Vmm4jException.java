package org.vmm4j.core.api;

import java.util.List;
import java.util.Objects;

/**
 * The root of every error vmm4j's API raises. {@link #fault()} says whose fault it is, so that a
 * caller can react without parsing messages; the subclass says what happened. Messages name the
 * sandbox, the operation and the value ({@code "sandbox sb1: hotplug disk /img/a.raw: ..."}).
 * Errors of the modules below core (QMP, the store, netlink, devices) reach the caller wrapped in
 * one of these, with the original as the {@linkplain #getCause() cause}.
 *
 * <p>When a change could not be undone completely, {@link #leftInPlace()} names what stayed (in
 * QEMU, on the host, in the state), and the state records it: it never lies about QEMU.
 */
public abstract sealed class Vmm4jException extends RuntimeException
    permits InvalidRequestException, HostException, QemuException, StateException {
  private static final long serialVersionUID = 1L;

  /** Whose fault an error is. */
  public enum Fault {
    /** The caller's: an invalid config, id, spec or value, an unknown device, a refused plug. */
    REQUEST,
    /** The host's: a missing device node or daemon, a netlink or file-system failure. */
    HOST,
    /** QEMU's: it refused a command, did not answer in time, kept a device, failed to start. */
    QEMU,
    /** The persisted state's: missing, corrupt, locked by another process, not running. */
    STATE
  }

  private final List<String> leftInPlace;

  Vmm4jException(String message, Throwable cause, List<String> leftInPlace) {
    super(message, cause);
    this.leftInPlace = List.copyOf(Objects.requireNonNull(leftInPlace, "leftInPlace"));
  }

  /** Whose fault this is. */
  public abstract Fault fault();

  /**
   * What a failed change left in place because it could not be undone (e.g. {@code "blockdev
   * drive-1"}, {@code "slot 02/01 (pci-bridge-0)"}); empty when everything was undone or nothing
   * was done.
   */
  public List<String> leftInPlace() {
    return leftInPlace;
  }
}
