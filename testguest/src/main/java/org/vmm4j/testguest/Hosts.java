package org.vmm4j.testguest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about the host process. */
final class Hosts {
  private Hosts() {}

  /** Whether this process runs as root (the owner of /proc/self is our uid). */
  public static boolean isRoot() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
