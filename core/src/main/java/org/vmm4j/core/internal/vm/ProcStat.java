package org.vmm4j.core.internal.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code /proc/<pid>/stat} and {@code /proc/<pid>/cmdline} say about a process: its state
 * letter ({@code Z} zombie, {@code X} dead) and its start time in clock ticks since boot, which
 * tells a process from a later one that reuses its pid.
 *
 * @param pid the pid
 * @param state the state letter (field 3)
 * @param startTicks the start time (field 22)
 */
public record ProcStat(long pid, char state, long startTicks) {

  /** The process's stat, or empty when there is no such process. */
  public static Optional<ProcStat> read(long pid) {
    String text;
    try {
      text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.of(parse(pid, text));
  }

  /** Parses a stat line; the command name (field 2) may hold spaces and parentheses. */
  static ProcStat parse(long pid, String text) {
    int close = text.lastIndexOf(')');
    String[] f = text.substring(close + 2).trim().split(" ");
    // f[0] is field 3 (state); field 22 (starttime) is f[19]
    return new ProcStat(pid, f[0].charAt(0), Long.parseLong(f[19]));
  }

  /** True for a zombie or a dead process: it has exited and only waits to be reaped. */
  public boolean exited() {
    return state == 'Z' || state == 'X';
  }

  /** The process's arguments, or empty when it is gone (a zombie has none). */
  public static List<String> cmdline(long pid) {
    byte[] b;
    try {
      b = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
    } catch (IOException e) {
      return List.of();
    }
    List<String> args = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < b.length; i++) {
      if (b[i] == 0) {
        args.add(new String(b, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    return args;
  }
}
