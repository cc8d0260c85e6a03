package org.vmm4j.core.api;

import java.util.Locale;

/**
 * The accelerator a sandbox asks for. {@link #AUTO} (the default) means KVM when the host check
 * found it usable (a probe guest really boots), else TCG. {@link #KVM} fails where KVM is not
 * usable; {@link #TCG} always emulates.
 */
public enum Accelerator {
  AUTO,
  KVM,
  TCG;

  /** The lower-case name used in the JSON form and on QEMU's {@code accel=}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code auto}, {@code kvm} or {@code tcg} (any case); null for anything else. */
  public static Accelerator fromWireName(String name) {
    for (Accelerator a : values()) {
      if (a.wireName().equalsIgnoreCase(name)) {
        return a;
      }
    }
    return null;
  }
}
