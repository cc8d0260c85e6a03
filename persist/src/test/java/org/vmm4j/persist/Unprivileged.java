package org.vmm4j.persist;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs shell commands as a less privileged user (shipped in the test-jar): uid and gid 65534
 * (nobody), no supplementary groups, through {@code setpriv(1)}. Tests that plant links and
 * directories the way such a user could use it while the store runs as root.
 */
public final class Unprivileged {
  /** The uid (and gid) the commands run as. */
  public static final int UID = 65534;

  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

  private Unprivileged() {}

  /** Skips the calling test unless this JVM is root and {@code /usr/bin/setpriv} exists. */
  public static void assumeAvailable() {
    assumeTrue(
        Rootless.effectiveUid() == 0,
        "not running as root: cannot plant files as another user (uid " + UID + ")");
    assumeTrue(
        Files.isExecutable(SETPRIV),
        "no /usr/bin/setpriv (util-linux): cannot run commands as uid " + UID);
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
