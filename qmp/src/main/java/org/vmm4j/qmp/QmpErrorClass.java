package org.vmm4j.qmp;

/**
 * QEMU's error classes ({@code qapi/error.json}). Almost everything is {@link #GENERIC_ERROR};
 * branch on the class only for the others, never on the text of {@code desc}.
 */
public enum QmpErrorClass {
  GENERIC_ERROR("GenericError"),
  COMMAND_NOT_FOUND("CommandNotFound"),
  DEVICE_NOT_ACTIVE("DeviceNotActive"),
  DEVICE_NOT_FOUND("DeviceNotFound"),
  KVM_MISSING_CAP("KVMMissingCap"),
  /** A class this client does not know (a newer QEMU); the name is kept by the exception. */
  OTHER("");

  private final String wireName;

  QmpErrorClass(String wireName) {
    this.wireName = wireName;
  }

  /** The name QEMU sends, e.g. {@code GenericError}; empty for {@link #OTHER}. */
  public String wireName() {
    return wireName;
  }

  /** The constant for a name QEMU sent; {@link #OTHER} when unknown. */
  public static QmpErrorClass of(String wireName) {
    for (QmpErrorClass c : values()) {
      if (c != OTHER && c.wireName.equals(wireName)) {
        return c;
      }
    }
    return OTHER;
  }
}
