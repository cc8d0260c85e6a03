package org.vmm4j.core;

/**
 * The root of every error {@code core} raises. Messages name the operation and the object, e.g.
 * {@code "HypervisorConfig: NumVCPUs=8 is above DefaultMaxVCPUs=4"}.
 */
public class CoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CoreException(String message) {
    super(message);
  }

  public CoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
