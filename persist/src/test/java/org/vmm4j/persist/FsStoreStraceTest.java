package org.vmm4j.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real system calls of a save, seen by strace(1) in a child JVM: for the sandbox file, {@code
 * openat(tmp, O_CREAT|O_EXCL) = N}, {@code write(N)}, {@code fsync(N)}, {@code close(N)}, {@code
 * rename(tmp, persist.json)}, {@code openat(dir) = M}, {@code fsync(M)}, in that order.
 */
class FsStoreStraceTest {
  private static final Pattern CALL = Pattern.compile("^\\d+\\s+(\\w+)\\((.*)\\)\\s+=\\s+(-?\\d+)");

  @TempDir Path tmp;

  @Test
  void aSaveFsyncsTheTemporaryFileRenamesItAndFsyncsTheDirectory() throws Exception {
    Path strace = Path.of("/usr/bin/strace");
    assumeTrue(Files.isExecutable(strace), "no /usr/bin/strace (scripts/deps.sh installs it)");
    assumeTrue(canTrace(), "strace cannot trace here (ptrace not permitted)");
    Path root = tmp.resolve("vc");
    Path log = tmp.resolve("strace.txt");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                strace.toString(),
                "-f",
                "-qq",
                "-o",
                log.toString(),
                "-e",
                "trace=openat,write,fsync,fdatasync,close,rename,renameat,renameat2"));
    cmd.addAll(ChildJvm.command("save", root.toString(), "sb"));
    try (ChildJvm child = ChildJvm.start(cmd)) {
      child.awaitLine("saved");
      assertThat(child.waitFor()).isZero();
    }
    List<String[]> calls = parse(Files.readAllLines(log, StandardCharsets.UTF_8));
    Path dir = root.resolve("sbs/sb");
    int open = find(calls, 0, "openat", dir + "/.persist.json.tmp-", null);
    assertThat(open).as("openat of the temporary file").isNotNegative();
    assertThat(calls.get(open)[1]).contains("O_CREAT|O_EXCL");
    String fd = calls.get(open)[2];
    String tmpName = calls.get(open)[1].split("\"")[1];
    int write = find(calls, open, "write", fd + ",", null);
    int fsync = find(calls, write, "fsync", fd, null);
    int close = find(calls, fsync, "close", fd, null);
    int rename =
        find(calls, close, "rename", "\"" + tmpName + "\", \"" + dir + "/persist.json\"", null);
    int openDir = find(calls, rename, "openat", "\"" + dir + "\"", null);
    int fsyncDir = openDir < 0 ? -1 : find(calls, openDir, "fsync", calls.get(openDir)[2], null);
    assertThat(List.of(write, fsync, close, rename, openDir, fsyncDir))
        .as(
            "write, fsync, close, rename, open dir, fsync dir after %s in\n%s",
            open, String.join("\n", Files.readAllLines(log)))
        .allMatch(i -> i > open);
    assertThat(find(calls, open + 1, "write", fd + ",", null))
        .as("no write after the fsync")
        .isLessThan(fsync);
  }

  private static boolean canTrace() throws Exception {
    Process p =
        new ProcessBuilder("/usr/bin/strace", "-qq", "-o", "/dev/null", "/bin/true")
            .redirectErrorStream(true)
            .start();
    return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
  }

  /** {syscall, arguments, result} of each completed call (renameat2 counted as rename). */
  private static List<String[]> parse(List<String> raw) {
    List<String[]> out = new ArrayList<>();
    for (String l : joinResumed(raw)) {
      Matcher m = CALL.matcher(l);
      if (m.find()) {
        String name = m.group(1).startsWith("rename") ? "rename" : m.group(1);
        String args = m.group(2);
        if (m.group(1).startsWith("renameat")) {
          args =
              args.replaceAll("AT_FDCWD, ", "")
                  .replaceAll(", 0$", "")
                  .replaceAll(", RENAME_\\w+$", "");
        }
        out.add(new String[] {name, args, m.group(3)});
      }
    }
    return out;
  }

  /** Joins strace's {@code <unfinished ...>} lines with their {@code <... resumed>} rest. */
  private static List<String> joinResumed(List<String> raw) {
    java.util.Map<String, String> pending = new java.util.HashMap<>();
    List<String> out = new ArrayList<>();
    for (String l : raw) {
      String pid = l.split("\\s+", 2)[0];
      if (l.endsWith(" <unfinished ...>")) {
        pending.put(pid, l.substring(0, l.length() - " <unfinished ...>".length()));
      } else if (l.contains(" resumed>")) {
        String head = pending.remove(pid);
        if (head != null) {
          out.add(head + l.substring(l.indexOf(" resumed>") + " resumed>".length()));
        }
      } else {
        out.add(l);
      }
    }
    return out;
  }

  /**
   * The first call at or after {@code from} named {@code name} whose arguments start with (or, for
   * paths, contain) {@code arg}.
   */
  private static int find(List<String[]> calls, int from, String name, String arg, String unused) {
    for (int i = Math.max(0, from); i < calls.size(); i++) {
      String[] c = calls.get(i);
      if (c[0].equals(name) && (c[1].startsWith(arg) || c[1].contains(arg))) {
        return i;
      }
    }
    return -1;
  }
}
