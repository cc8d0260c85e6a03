package org.vmm4j.devices;

/** No slot may be reserved any more: see {@link PciTopology#refusePlugs}. */
public final class PlugsRefusedException extends DevicesException {
  private static final long serialVersionUID = 1L;

  public PlugsRefusedException(String message) {
    super(message);
  }
}
