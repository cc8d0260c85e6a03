package org.vmm4j.core.api;

/**
 * A container operation refused or failed ({@link SandboxContainers}): an invalid or duplicate id,
 * an unknown container, a missing rootfs or device, a container in a state that forbids it. The
 * message names the sandbox, the operation and the value; nothing was recorded (unless the message
 * says what was).
 */
public class ContainerException extends InvalidRequestException {
  private static final long serialVersionUID = 1L;

  public ContainerException(String message) {
    super(message);
  }

  public ContainerException(String message, Throwable cause) {
    super(message, cause);
  }
}
