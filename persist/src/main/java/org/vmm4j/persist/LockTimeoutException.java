package org.vmm4j.persist;

import java.time.Duration;

/** A sandbox lock that could not be acquired before its deadline. */
public final class LockTimeoutException extends PersistException {
  LockTimeoutException(String sandboxId, boolean exclusive, Duration timeout) {
    super(
        "lock sandbox "
            + sandboxId
            + " ("
            + (exclusive ? "exclusive" : "shared")
            + "): not acquired within "
            + timeout.toMillis()
            + " ms; another holder keeps it");
  }
}
