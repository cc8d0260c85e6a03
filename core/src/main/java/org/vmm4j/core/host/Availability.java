package org.vmm4j.core.host;

/** How far a host facility goes: absent, present but not usable, not known, or usable. */
public enum Availability {
  /** The device file (or the facility) does not exist. */
  ABSENT,
  /** It exists, but vmm4j cannot use it (no access, a probe guest did not boot, ...). */
  UNUSABLE,
  /** It exists; whether it works was not found out (e.g. no KVM probe was supplied). */
  UNKNOWN,
  /** It exists and works. */
  USABLE;

  /** Lower case, as in reports and JSON. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
