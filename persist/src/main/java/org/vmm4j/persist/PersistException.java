package org.vmm4j.persist;

/**
 * The root of every failure of the persist module. Messages name the operation and the object
 * (file, sandbox id, JSON path) and the offending value.
 */
public abstract sealed class PersistException extends RuntimeException
    permits StateFormatException,
        InvalidNameException,
        StoreException,
        StateNotFoundException,
        LockTimeoutException,
        UnsafePathException {

  PersistException(String message) {
    super(message);
  }

  PersistException(String message, Throwable cause) {
    super(message, cause);
  }
}
