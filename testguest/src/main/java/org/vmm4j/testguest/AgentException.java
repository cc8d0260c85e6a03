package org.vmm4j.testguest;

/**
 * The guest agent did not answer in time, the connection to it failed, or its reply could not be
 * understood. The message names the socket, the command and the deadline, and quotes the last lines
 * received.
 */
public class AgentException extends TestGuestException {
  private static final long serialVersionUID = 1L;

  public AgentException(String message) {
    super(message);
  }

  public AgentException(String message, Throwable cause) {
    super(message, cause);
  }
}
