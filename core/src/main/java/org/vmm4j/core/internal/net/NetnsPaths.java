package org.vmm4j.core.internal.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.vmm4j.network.NetNs;

/** Network namespace names and paths as users give them. */
public final class NetnsPaths {
  private NetnsPaths() {}

  /**
   * A namespace file: {@code NAME} is {@code /run/netns/NAME} (where {@code ip netns} keeps it);
   * anything with a {@code /} is a path ({@code /proc/PID/ns/net}, {@code /var/run/netns/cni-..}).
   */
  public static Path resolve(String nameOrPath) {
    if (nameOrPath.isEmpty()) {
      throw new IllegalArgumentException("empty network namespace name");
    }
    return nameOrPath.contains("/") ? Path.of(nameOrPath) : NetNs.RUN_DIR.resolve(nameOrPath);
  }

  /** Whether two namespace files are the same namespace (same nsfs inode). */
  public static boolean same(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }
}
