package org.vmm4j.core.internal.config;

import static org.vmm4j.core.api.ConfigException.invalid;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.vmm4j.persist.HypervisorConfig;

/**
 * {@code MachineAccelerators}: options appended to {@code -machine}. QEMU 7.2 takes them as {@code
 * key=value} only: a bare word such as Kata's old {@code nosmm} is refused ({@code Expected '='
 * after parameter 'nosmm'}; {@code smm=off} is the form now), so is an empty key ({@code Invalid
 * parameter ''}); a doubled comma is a comma inside a value. Two keys are vmm4j's: {@code type}
 * (the machine type is {@code HypervisorMachineType}; QEMU starts another machine, without the
 * buses vmm4j addresses) and {@code accel} (vmm4j chooses the accelerator; QEMU would silently take
 * the later one). Property names and values are QEMU's to judge.
 */
final class MachineOptions {
  static final Set<String> RESERVED = Set.of("type", "accel");

  private MachineOptions() {}

  static void check(HypervisorConfig c) {
    String options = c.machineAccelerators();
    // vmm4j appends them after a comma of its own unless they start with one
    String list = options.startsWith(",") ? options.substring(1) : options;
    if (list.isEmpty()) {
      return;
    }
    List<String> items = split(list);
    for (int i = 0; i < items.size(); i++) {
      String item = items.get(i);
      if (item.isEmpty() && i == items.size() - 1 && i > 0) {
        continue; // a trailing comma: QEMU ignores it
      }
      int eq = item.indexOf('=');
      if (eq <= 0) {
        throw invalid(
            "MachineAccelerators",
            options,
            "has \""
                + item
                + "\": QEMU 7.2 takes machine options as key=value only (e.g. smm=off, not"
                + " nosmm)");
      }
      String key = item.substring(0, eq);
      if (RESERVED.contains(key)) {
        throw invalid(
            "MachineAccelerators",
            options,
            "sets "
                + key
                + ", which vmm4j sets itself (HypervisorMachineType and Accelerator say which)");
      }
    }
  }

  /** QEMU's option list: items split at a comma, a doubled comma being a comma of the value. */
  static List<String> split(String list) {
    List<String> items = new ArrayList<>();
    StringBuilder item = new StringBuilder();
    for (int i = 0; i < list.length(); i++) {
      char ch = list.charAt(i);
      if (ch != ',') {
        item.append(ch);
      } else if (i + 1 < list.length() && list.charAt(i + 1) == ',') {
        item.append(',');
        i++;
      } else {
        items.add(item.toString());
        item.setLength(0);
      }
    }
    items.add(item.toString());
    return items;
  }
}
