package org.vmm4j.devices;

/** A bounded resource is exhausted: bridge slots, root ports or block indexes. */
public final class NoFreeSlotException extends DevicesException {
  private static final long serialVersionUID = 1L;

  public NoFreeSlotException(String message) {
    super(message);
  }
}
