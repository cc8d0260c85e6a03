package org.vmm4j.core;

import java.util.Objects;

/**
 * Thrown inside a {@link SandboxDevices#transact} work whose failure changed QEMU in a way that
 * could not be undone (an unplug done, a rollback unplug that did not complete): the session's
 * changes so far are saved, so that the state says what is true, then {@link #failure()} is thrown
 * to the caller.
 */
final class SaveThenThrow extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final RuntimeException failure;

  SaveThenThrow(RuntimeException failure) {
    super(failure.getMessage(), failure, false, false);
    this.failure = Objects.requireNonNull(failure, "failure");
  }

  RuntimeException failure() {
    return failure;
  }
}
