package org.vmm4j.network;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Network-namespace system calls. {@code setns} and {@code unshare} act on the calling thread only:
 * callers run them on a dedicated platform thread that does nothing else ({@code NetNs}).
 */
final class Namespaces {
  private Namespaces() {}

  /** Opens a namespace file ({@code /run/netns/NAME}, {@code /proc/PID/ns/net}). */
  public static OwnedFd open(Path path) {
    return Fds.openReadOnly(path, "netns " + path);
  }

  /** Moves the calling thread into the network namespace behind {@code ns}. */
  public static void enter(OwnedFd ns) {
    ns.borrow(
        fd -> {
          try {
            // NATIVE: setns(2) with CLONE_NEWNET on a namespace fd (open for the call, we borrow
            // it). Affects the calling thread only; needs CAP_SYS_ADMIN.
            return LibC.setns(fd, LibC.CLONE_NEWNET);
          } catch (LastErrorException e) {
            throw Errno.exception(e.getErrorCode(), "setns", ns.description());
          }
        });
  }

  /**
   * What {@code ip netns add NAME} does, on the calling thread, which ends up inside the new
   * namespace: makes {@code runDir} a shared mount point (so the namespace mounts propagate to
   * other mount namespaces), creates {@code runDir/NAME}, {@code unshare(CLONE_NEWNET)}, and
   * bind-mounts the thread's namespace there. Unlike {@code ip}, which is single-threaded and can
   * use {@code /proc/self/ns/net}, a JVM thread must name its own: {@code /proc/thread-self/ns/net}
   * ({@code /proc/self} is the main thread's). On failure the file is removed again.
   *
   * @throws NetlinkException.Exists if the name is taken
   */
  public static void createNamed(Path runDir, String name) {
    Path path = runDir.resolve(name);
    prepareRunDir(runDir);
    Fds.close(createFile(path), path.toString());
    try {
      // NATIVE: unshare(2) CLONE_NEWNET: only the calling (dedicated) thread moves to a new, empty
      // network namespace. Needs CAP_SYS_ADMIN.
      LibC.unshare(LibC.CLONE_NEWNET);
      // NATIVE: mount(2) MS_BIND of this thread's namespace file onto the empty file; both paths
      // are JNA-copied strings, data NULL.
      LibC.mount("/proc/thread-self/ns/net", path.toString(), "none", LibC.MS_BIND, null);
    } catch (LastErrorException e) {
      deleteQuietly(path);
      throw Errno.exception(e.getErrorCode(), "netns add", name);
    }
  }

  private static int createFile(Path path) {
    try {
      // NATIVE: open(2) O_CREAT|O_EXCL, mode 0 as ip does; the caller closes the fd at once.
      return LibC.open(
          path.toString(), LibC.O_RDONLY | LibC.O_CREAT | LibC.O_EXCL | LibC.O_CLOEXEC, 0);
    } catch (LastErrorException e) {
      throw Errno.exception(e.getErrorCode(), "netns add", path.getFileName().toString());
    }
  }

  private static void prepareRunDir(Path runDir) {
    try {
      Files.createDirectories(runDir);
    } catch (IOException e) {
      throw new NetlinkException("netns add", runDir.toString(), e.toString(), 0, e);
    }
    for (int attempt = 0; ; attempt++) {
      try {
        // NATIVE: mount(2) with no source: change propagation of the existing mount at runDir to
        // shared (recursively). EINVAL means runDir is not a mount point yet.
        LibC.mount("", runDir.toString(), "none", LibC.MS_SHARED | LibC.MS_REC, null);
        return;
      } catch (LastErrorException e) {
        if (e.getErrorCode() != Errno.EINVAL || attempt > 0) {
          throw Errno.exception(e.getErrorCode(), "mount --make-rshared", runDir.toString());
        }
      }
      try {
        // NATIVE: mount(2) MS_BIND|MS_REC of runDir onto itself, making it a mount point.
        LibC.mount(runDir.toString(), runDir.toString(), "none", LibC.MS_BIND | LibC.MS_REC, null);
      } catch (LastErrorException e) {
        throw Errno.exception(e.getErrorCode(), "mount --bind", runDir.toString());
      }
    }
  }

  /**
   * What {@code ip netns delete} does: lazily unmounts the namespace file and removes it. The
   * namespace itself lives on while a process, thread or descriptor still holds it.
   *
   * @throws NetlinkException.NotFound if there is no such file
   */
  public static void deleteNamed(Path path) {
    try {
      // NATIVE: umount2(2) MNT_DETACH of the bind mount; a path string, no ownership involved.
      LibC.umount2(path.toString(), LibC.MNT_DETACH);
    } catch (LastErrorException e) {
      if (e.getErrorCode() == Errno.ENOENT) {
        throw Errno.exception(e.getErrorCode(), "netns delete", path.toString());
      }
      // EINVAL: not mounted (a half-created namespace): removing the file is all that is left.
    }
    try {
      Files.delete(path);
    } catch (IOException e) {
      throw new NetlinkException("netns delete", path.toString(), e.toString(), 0, e);
    }
  }

  /**
   * Gives the calling thread a mount namespace of its own whose {@code /sys} shows the thread's
   * network namespace ({@code /sys/class/net} lists the interfaces of the namespace whose thread
   * mounted sysfs), as {@code ip netns exec} does: {@code unshare(CLONE_NEWNS)}, {@code /} made
   * recursively slave, a fresh sysfs over {@code /sys}. Other threads are unaffected; threads this
   * thread starts afterwards inherit the private view.
   */
  public static void privateSysfs() {
    try {
      // NATIVE: unshare(2) CLONE_NEWNS (implies CLONE_FS: this thread's fs_struct is copied, other
      // JVM threads keep theirs). Needs CAP_SYS_ADMIN.
      LibC.unshare(LibC.CLONE_NEWNS);
      // NATIVE: mount(2) propagation change of / to slave, recursively (nothing we mount leaks).
      LibC.mount("none", "/", null, LibC.MS_SLAVE | LibC.MS_REC, null);
      // NATIVE: umount2(2) MNT_DETACH of the inherited /sys, in our private mount namespace only.
      LibC.umount2("/sys", LibC.MNT_DETACH);
      // NATIVE: mount(2) a new sysfs instance; it is tagged with this thread's network namespace.
      LibC.mount("sysfs", "/sys", "sysfs", 0, null);
    } catch (LastErrorException e) {
      throw Errno.exception(e.getErrorCode(), "mount sysfs", "private /sys for the netns thread");
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
