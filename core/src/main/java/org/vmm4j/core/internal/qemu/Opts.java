package org.vmm4j.core.internal.qemu;

/**
 * A QEMU option list such as {@code virtio-blk-pci,drive=d1,serial=s}: the head, then {@code
 * key=value} pairs, every text escaped as QEMU's option parser wants it (a comma doubled).
 */
final class Opts {
  private final StringBuilder sb = new StringBuilder();

  private Opts(String head) {
    sb.append(escape(head));
  }

  static Opts of(String head) {
    return new Opts(head);
  }

  Opts add(String key, Object value) {
    sb.append(',').append(key).append('=').append(escape(String.valueOf(value)));
    return this;
  }

  Opts addIf(boolean condition, String key, Object value) {
    return condition ? add(key, value) : this;
  }

  /** Appends {@code ,<raw>} unescaped: options a user wrote as a list (MachineAccelerators). */
  Opts raw(String options) {
    if (!options.isEmpty()) {
      sb.append(options.startsWith(",") ? "" : ",").append(options);
    }
    return this;
  }

  static String escape(String s) {
    return s.replace(",", ",,");
  }

  @Override
  public String toString() {
    return sb.toString();
  }
}
