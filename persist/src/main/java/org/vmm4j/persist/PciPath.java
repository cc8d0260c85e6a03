package org.vmm4j.persist;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A PCI path as Kata writes it: the slot of each bridge from the root bus down to the device, two
 * lowercase hex digits each, joined with {@code /} ({@code "02/03"} is slot 3 behind the bridge in
 * root-bus slot 2; a root-bus device is {@code "03"}). {@link #NIL} is Kata's nil path: unknown.
 *
 * <p>JSON: a known path is written as its string, the nil path as {@code {}} (which is how Kata's
 * Go code writes every path, losing it); both forms are read.
 */
public final class PciPath {
  /** The highest slot number (Kata: {@code [0..0x1f]}). */
  public static final int MAX_SLOT = 0x1f;

  /** The nil (unknown) path. */
  public static final PciPath NIL = new PciPath(null);

  private final int[] slots;

  private PciPath(int[] slots) {
    this.slots = slots;
  }

  /** A path of at least one slot, each in {@code 0..0x1f}. */
  public static PciPath of(int... slots) {
    if (slots.length == 0) {
      throw new IllegalArgumentException("PCI path needs at least one component");
    }
    for (int s : slots) {
      checkSlot(s);
    }
    return new PciPath(slots.clone());
  }

  /**
   * Parses the string form strictly: slots of exactly two lowercase hex digits in {@code 00..1f}
   * joined by {@code /}. The empty string is the nil path (as Kata's {@code PciPathFromString}).
   *
   * @throws IllegalArgumentException naming the bad component
   */
  public static PciPath parse(String text) {
    if (text.isEmpty()) {
      return NIL;
    }
    String[] parts = text.split("/", -1);
    int[] slots = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (p.length() != 2 || hex(p.charAt(0)) < 0 || hex(p.charAt(1)) < 0) {
        throw new IllegalArgumentException(
            "PCI path \"" + text + "\": slot \"" + p + "\" is not two lowercase hex digits");
      }
      slots[i] = hex(p.charAt(0)) * 16 + hex(p.charAt(1));
      if (slots[i] > MAX_SLOT) {
        throw new IllegalArgumentException(
            "PCI path \"" + text + "\": slot 0x" + p + " should be in range [0..0x1f]");
      }
    }
    return new PciPath(slots);
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
  }

  private static void checkSlot(int s) {
    if (s < 0 || s > MAX_SLOT) {
      throw new IllegalArgumentException(
          "PCI slot 0x" + Integer.toHexString(s) + " should be in range [0..0x1f]");
    }
  }

  /**
   * The path of a device in {@code slot} behind this path's last bridge ({@code 02} → {@code
   * 02/05}).
   */
  public PciPath child(int slot) {
    checkSlot(slot);
    int[] s = slots == null ? new int[1] : Arrays.copyOf(slots, slots.length + 1);
    s[s.length - 1] = slot;
    return new PciPath(s);
  }

  /** Whether this is the nil (unknown) path. */
  public boolean isNil() {
    return slots == null;
  }

  /** The slots, root bus first; empty for the nil path. */
  public List<Integer> slots() {
    if (slots == null) {
      return List.of();
    }
    List<Integer> l = new ArrayList<>(slots.length);
    for (int s : slots) {
      l.add(s);
    }
    return Collections.unmodifiableList(l);
  }

  /** {@code "02/03"}; the empty string for the nil path (as Kata's {@code String()}). */
  @Override
  public String toString() {
    if (slots == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(slots.length * 3);
    for (int i = 0; i < slots.length; i++) {
      if (i > 0) {
        sb.append('/');
      }
      sb.append(Character.forDigit(slots[i] >> 4, 16))
          .append(Character.forDigit(slots[i] & 15, 16));
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PciPath p && Arrays.equals(slots, p.slots);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(slots);
  }
}
