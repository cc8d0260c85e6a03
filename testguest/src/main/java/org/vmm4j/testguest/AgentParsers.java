package org.vmm4j.testguest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns the agent's output lines into values; a line that does not fit is an error. */
final class AgentParsers {
  private AgentParsers() {}

  /** {@code BDF vendor device class driver PCIPATH sysfs} per line. */
  static List<GuestPciDevice> pci(AgentReply r) {
    List<GuestPciDevice> out = new ArrayList<>();
    for (String line : r.lines()) {
      String[] f = fields(r, line, 7);
      out.add(new GuestPciDevice(f[0], f[1], f[2], f[3], opt(f[4]), f[5], f[6]));
    }
    return out;
  }

  /** {@code name size512 PCIPATH serial hctl sysfs} per line. */
  static List<GuestBlockDevice> blk(AgentReply r) {
    List<GuestBlockDevice> out = new ArrayList<>();
    for (String line : r.lines()) {
      String[] f = fields(r, line, 6);
      out.add(
          new GuestBlockDevice(f[0], number(r, line, f[1]), opt(f[2]), opt(f[3]), opt(f[4]), f[5]));
    }
    return out;
  }

  /** {@code ifname mac operstate PCIPATH sysfs} per line. */
  static List<GuestNetInterface> net(AgentReply r) {
    List<GuestNetInterface> out = new ArrayList<>();
    for (String line : r.lines()) {
      String[] f = fields(r, line, 5);
      out.add(new GuestNetInterface(f[0], f[1], f[2], opt(f[3]), f[4]));
    }
    return out;
  }

  /** {@code online L}, {@code present L}, {@code possible L}, {@code nproc N}, {@code cpuN 0|1}. */
  static GuestCpus cpus(AgentReply r) {
    Map<String, String> kv = new HashMap<>();
    Map<Integer, Boolean> per = new HashMap<>();
    for (String line : r.lines()) {
      String[] f = fields(r, line, 2);
      if (f[0].matches("cpu[0-9]+")) {
        per.put(Integer.parseInt(f[0].substring(3)), f[1].equals("1"));
      } else {
        kv.put(f[0], f[1]);
      }
    }
    return new GuestCpus(
        need(r, kv, "online"),
        need(r, kv, "present"),
        need(r, kv, "possible"),
        (int) number(r, "nproc", need(r, kv, "nproc")),
        per);
  }

  /** {@code key value} lines: MemTotal, MemFree, block_size, blocks_online, ... */
  static GuestMemory mem(AgentReply r) {
    Map<String, String> kv = new HashMap<>();
    for (String line : r.lines()) {
      String[] f = fields(r, line, 2);
      kv.put(f[0], f[1]);
    }
    return new GuestMemory(
        number(r, "MemTotal", need(r, kv, "MemTotal")),
        number(r, "MemFree", need(r, kv, "MemFree")),
        number(r, "block_size", need(r, kv, "block_size")),
        (int) number(r, "blocks_online", need(r, kv, "blocks_online")),
        (int) number(r, "blocks_offline", need(r, kv, "blocks_offline")),
        need(r, kv, "auto_online"));
  }

  /**
   * The PCI path of a sysfs path, as the agent computes it: the slot of every {@code DDDD:BB:SS.F}
   * component ({@code SS.F} when F is not 0), joined with '/'; empty when none.
   */
  static Optional<String> pciPathOfSysfs(String sysfsPath) {
    List<String> slots = new ArrayList<>();
    for (String c : sysfsPath.split("/")) {
      if (c.matches("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]")) {
        String slot = c.substring(8, 10);
        char fn = c.charAt(11);
        slots.add(fn == '0' ? slot : slot + "." + fn);
      }
    }
    return slots.isEmpty() ? Optional.empty() : Optional.of(String.join("/", slots));
  }

  private static String[] fields(AgentReply r, String line, int n) {
    String[] f = line.strip().split("\\s+");
    if (f.length != n) {
      throw bad(r, "expected " + n + " fields in '" + line + "'");
    }
    return f;
  }

  private static Optional<String> opt(String s) {
    return s.equals("-") ? Optional.empty() : Optional.of(s);
  }

  private static String need(AgentReply r, Map<String, String> kv, String key) {
    String v = kv.get(key);
    if (v == null) {
      throw bad(r, "no '" + key + "' line");
    }
    return v;
  }

  private static long number(AgentReply r, String what, String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw bad(r, what + " is not a number: '" + s + "'");
    }
  }

  private static AgentException bad(AgentReply r, String why) {
    return new AgentException(
        "guest agent: cannot understand the reply to '" + r.command() + "': " + why);
  }
}
