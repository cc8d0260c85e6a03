package org.vmm4j.testing.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs shell commands as a less privileged user: uid and gid 65534 (nobody), no supplementary
 * groups, through {@code setpriv(1)}. Tests that plant links and directories the way such a user
 * could use it while the store runs as root.
 */
public final class Unprivileged {
  /** The uid (and gid) the commands run as. */
  public static final int UID = 65534;

  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

  private Unprivileged() {}

  /**
   * Why commands cannot run as uid {@value #UID} here (not root, or no {@code /usr/bin/setpriv});
   * empty when they can. A test skips with this as its reason.
   */
  public static java.util.Optional<String> unavailable() {
    if (!isRoot()) {
      return java.util.Optional.of(
          "not running as root: cannot plant files as another user (uid " + UID + ")");
    }
    if (!Files.isExecutable(SETPRIV)) {
      return java.util.Optional.of(
          "no /usr/bin/setpriv (util-linux): cannot run commands as uid " + UID);
    }
    return java.util.Optional.empty();
  }

  /** Whether this process's effective uid is 0 ({@code /proc/self/status}). */
  private static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.split("\\s+")[2].equals("0");
        }
      }
    } catch (java.io.IOException e) {
      return false;
    }
    return false;
  }

  /**
   * Runs {@code /bin/sh -c script sh args...} as uid {@value #UID}; fails unless it exits 0 within
   * 30 seconds.
   */
  public static void run(String script, String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                SETPRIV.toString(),
                "--reuid=" + UID,
                "--regid=" + UID,
                "--clear-groups",
                "--",
                "/bin/sh",
                "-c",
                script,
                "sh"));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("as uid " + UID + ": " + script + ": still running after 30 s");
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new AssertionError(
            "as uid "
                + UID
                + ": "
                + script
                + " "
                + String.join(" ", args)
                + ": exit "
                + p.exitValue()
                + ": "
                + out);
      }
    } catch (IOException e) {
      throw new AssertionError("as uid " + UID + ": " + script + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
