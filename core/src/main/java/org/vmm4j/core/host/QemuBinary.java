package org.vmm4j.core.host;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The QEMU binary the host check found, and what it says about itself.
 *
 * @param requested what was asked for: a bare name looked up on the search path ({@code
 *     qemu-system-x86_64}) or a path
 * @param path the binary found (absolute), or null when none was
 * @param versionLine the first line of {@code -version} ({@code QEMU emulator version 7.2.22
 *     (Debian 1:7.2+dfsg-7+deb12u18+b3)}), or empty
 * @param version the version number from that line ({@code 7.2.22}), or empty
 * @param seccomp whether {@code -help} lists {@code -sandbox} (QEMU built with seccomp)
 * @param machines the machine types of {@code -machine help} ({@code q35}, {@code pc}, {@code
 *     pc-q35-7.2}, ...), in QEMU's order; empty when it could not be listed
 * @param problem why this binary cannot be used (not found, not executable, {@code -version} failed
 *     or timed out); empty when it can
 */
public record QemuBinary(
    Path requested,
    Path path,
    String versionLine,
    String version,
    boolean seccomp,
    List<String> machines,
    String problem) {
  public QemuBinary {
    Objects.requireNonNull(requested, "requested");
    Objects.requireNonNull(versionLine, "versionLine");
    Objects.requireNonNull(version, "version");
    machines = List.copyOf(machines);
    Objects.requireNonNull(problem, "problem");
    if (problem.isEmpty() && (path == null || version.isEmpty())) {
      throw new IllegalArgumentException("a usable QEMU binary needs a path and a version");
    }
  }

  /** A binary that cannot be used, with the reason. */
  static QemuBinary unusable(Path requested, Path path, String problem) {
    return new QemuBinary(requested, path, "", "", false, List.of(), problem);
  }

  /** Whether vmm4j can run this binary (it was found and answered {@code -version}). */
  public boolean usable() {
    return problem.isEmpty();
  }

  /** Whether {@code -machine help} listed {@code type} (false when the list is unknown). */
  public boolean knowsMachine(String type) {
    return machines.contains(type);
  }

  /**
   * Whether the version is at least {@code major.minor} (false for an unusable binary).
   *
   * @throws IllegalArgumentException for negative numbers
   */
  public boolean isAtLeast(int major, int minor) {
    if (major < 0 || minor < 0) {
      throw new IllegalArgumentException("version " + major + "." + minor);
    }
    if (version.isEmpty()) {
      return false;
    }
    String[] f = version.split("\\.");
    int ma = Integer.parseInt(f[0]);
    int mi = f.length > 1 ? Integer.parseInt(f[1]) : 0;
    return ma > major || (ma == major && mi >= minor);
  }
}
