package org.vmm4j.testing.qmp;

/**
 * Thrown from a {@link FakeQmpScript#answer} function: the fake replies with this error instead,
 * e.g. {@code throw new FakeQmpError("DeviceNotFound", "Device 'x' not found")}.
 */
public final class FakeQmpError extends RuntimeException {
  private final String errorClass;
  private final String desc;

  public FakeQmpError(String errorClass, String desc) {
    super(errorClass + ": " + desc);
    this.errorClass = errorClass;
    this.desc = desc;
  }

  String errorClass() {
    return errorClass;
  }

  String desc() {
    return desc;
  }
}
