package org.vmm4j.testguest;

/**
 * The root of every failure in this module: building the test guest, talking to its agent, probing
 * KVM. Messages name the operation and the object ("test guest build: kernel package
 * 'linux-image-x' is not known to apt ...").
 */
public class TestGuestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TestGuestException(String message) {
    super(message);
  }

  public TestGuestException(String message, Throwable cause) {
    super(message, cause);
  }
}
