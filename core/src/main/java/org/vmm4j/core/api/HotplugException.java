package org.vmm4j.core.api;

import java.util.List;

/**
 * A hotplug or unplug failed in QEMU: a step was refused or not answered in time. For a plug, the
 * transaction's completed steps were undone in reverse order; when an undo failed too, the rollback
 * stopped there (later undos depend on it: a slot is not freed while its device may still be in
 * QEMU), the state records what stayed and {@link #leftInPlace()} names it. The message names the
 * sandbox, the operation, the failed step with QEMU's error, and what was rolled back.
 */
public class HotplugException extends QemuException {
  private static final long serialVersionUID = 1L;

  public HotplugException(String message, Throwable cause) {
    this(message, cause, List.of());
  }

  public HotplugException(String message, Throwable cause, List<String> leftInPlace) {
    super(message, cause, leftInPlace);
  }
}
