package org.vmm4j.core.internal.hotplug;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vmm4j.network.OwnedFd;

/** Pipe descriptors standing in for tap queues in tests, and what {@code /proc} says they are. */
final class Pipes {
  private static final int O_CLOEXEC = 0x80000;

  /** NATIVE: libc's pipe2; the two descriptors are adopted by {@link OwnedFd}s at once. */
  interface LibC extends Library {
    int pipe2(int[] fds, int flags);
  }

  private static final LibC LIBC = Native.load("c", LibC.class);

  private Pipes() {}

  /** {@code n} read ends of fresh pipes (the write ends are closed). */
  static List<OwnedFd> readEnds(int n, String what) {
    List<OwnedFd> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int[] fds = new int[2];
      if (LIBC.pipe2(fds, O_CLOEXEC) != 0) {
        throw new IllegalStateException("pipe2 failed");
      }
      OwnedFd.adopt(fds[1], what + " write end " + i).close();
      out.add(OwnedFd.adopt(fds[0], what + " " + i));
    }
    return out;
  }

  /** {@code pipe:[inode]}: what the descriptor refers to. */
  static String target(OwnedFd fd) {
    return fd.borrow(
        raw -> {
          try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + raw)).toString();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
