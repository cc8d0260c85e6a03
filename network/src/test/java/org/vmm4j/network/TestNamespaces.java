package org.vmm4j.network;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Namespaces for real-kernel tests: unique names ({@code vmm4j-t-<tag>-<random>}), created fresh
 * and deleted afterwards; a test is skipped only when the host truly cannot do it, and says why.
 */
final class TestNamespaces {
  private TestNamespaces() {}

  /** Skips the calling test unless it runs as root with /dev/net/tun, netns and netlink. */
  public static void assumeCapable() {
    assumeTrue(isRoot(), "not root: netlink, netns and tap tests need CAP_NET_ADMIN/CAP_SYS_ADMIN");
    assumeTrue(
        Files.exists(Path.of("/proc/self/ns/net")), "no network namespaces (/proc/self/ns/net)");
    assumeTrue(Files.exists(Path.of("/dev/net/tun")), "no /dev/net/tun");
  }

  private static boolean isRoot() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(l -> l.startsWith("Uid:"))
          .anyMatch(l -> l.split("\\s+")[2].equals("0"));
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** A fresh unique namespace name with {@code tag} in it (at most 32 characters). */
  public static String uniqueName(String tag) {
    return "vmm4j-t-"
        + tag
        + "-"
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
  }

  /**
   * Creates a fresh namespace; skips the test if the kernel refuses to (no CAP_SYS_ADMIN, no netns
   * support) and says so.
   */
  public static NetNs create(String tag) {
    assumeCapable();
    try {
      return NetNs.create(uniqueName(tag));
    } catch (NetlinkException.PermissionDenied | NetlinkException.Unsupported e) {
      assumeTrue(false, "cannot create a network namespace here: " + e.getMessage());
      throw e;
    }
  }

  /** Runs {@code ip ARGS...} and returns its stdout; fails on a non-zero exit. */
  public static String ip(String... args) {
    return run(prepend("ip", args));
  }

  /** Runs a command (10 s deadline) and returns its stdout; fails on a non-zero exit. */
  public static String run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("timed out: " + String.join(" ", command));
      }
      String out = new String(p.getInputStream().readAllBytes());
      if (p.exitValue() != 0) {
        throw new AssertionError(String.join(" ", command) + " -> " + p.exitValue() + ": " + out);
      }
      return out;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String[] prepend(String first, String[] rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }
}
