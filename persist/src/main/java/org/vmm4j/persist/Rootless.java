package org.vmm4j.persist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Kata's rootless test: not effective uid 0, or running in a user namespace. */
final class Rootless {
  private static final long NOBODY = 65534;

  private Rootless() {}

  record Identity(long euid, boolean inUserNamespace) {}

  static Identity current() {
    return new Identity(effectiveUid(), inUserNamespace());
  }

  /** The effective uid, from {@code /proc/self/status} ({@code Uid: real effective saved fs}). */
  static long effectiveUid() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    return NOBODY; // unknown: treat as unprivileged
  }

  /** In the initial user namespace, uid_map is {@code 0 0 4294967295}. */
  static boolean inUserNamespace() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/self/uid_map"));
      return !(lines.size() == 1
          && List.of(lines.get(0).trim().split("\\s+")).equals(List.of("0", "0", "4294967295")));
    } catch (IOException e) {
      return false;
    }
  }
}
