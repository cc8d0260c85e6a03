package org.vmm4j.core.hotplug;

import java.util.List;
import org.vmm4j.core.CoreException;

/**
 * A hotplug or unplug failed. For a plug, the completed steps were undone in reverse order; when an
 * undo failed too, the rollback stopped there (later undos depend on it: a slot is not freed while
 * its device may still be in QEMU) and {@link #leftInPlace()} names what remains. The message names
 * the sandbox, the operation, the failed step with QEMU's error, and what was rolled back.
 */
public sealed class HotplugException extends CoreException
    permits DeviceStillPresentException, HotplugRefusedException {
  private static final long serialVersionUID = 1L;

  private final List<String> leftInPlace;

  public HotplugException(String message, Throwable cause) {
    this(message, cause, List.of());
  }

  public HotplugException(String message, Throwable cause, List<String> leftInPlace) {
    super(message, cause);
    this.leftInPlace = List.copyOf(leftInPlace);
  }

  /** What a failed rollback left in QEMU or in the topology, e.g. {@code blockdev drive-1}. */
  public List<String> leftInPlace() {
    return leftInPlace;
  }
}
