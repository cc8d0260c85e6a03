package org.vmm4j.network;

import com.sun.jna.LastErrorException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;

/** Opening, reading, writing and closing plain file descriptors (device nodes). */
final class Fds {
  private Fds() {}

  /**
   * Opens {@code path} read-write with {@code O_CLOEXEC}; the caller owns the result.
   *
   * @param description what the descriptor is, for {@link OwnedFd#description()}
   */
  public static OwnedFd openReadWrite(Path path, String description) {
    return open(path, LibC.O_RDWR, description);
  }

  /** Opens {@code path} read-only with {@code O_CLOEXEC}; the caller owns the result. */
  public static OwnedFd openReadOnly(Path path, String description) {
    return open(path, LibC.O_RDONLY, description);
  }

  private static OwnedFd open(Path path, int flags, String description) {
    try {
      // NATIVE: open(2). path is a NUL-terminated copy made by JNA; the returned fd is new and
      // owned by the OwnedFd we wrap it in at once (nothing can throw in between).
      int fd = LibC.open(path.toString(), flags | LibC.O_CLOEXEC, 0);
      return OwnedFd.adopt(fd, description);
    } catch (LastErrorException e) {
      throw Errno.exception(e.getErrorCode(), "open", path.toString());
    }
  }

  /** Closes a raw descriptor; only {@link OwnedFd#close()} calls this. */
  public static void close(int fd, String description) {
    try {
      // NATIVE: close(2). fd is owned by the caller, which has already forgotten it; on EINTR
      // Linux has released the descriptor anyway, so it is never retried.
      LibC.close(fd);
    } catch (LastErrorException e) {
      if (e.getErrorCode() != Errno.EINTR) {
        throw Errno.exception(e.getErrorCode(), "close", description);
      }
    }
  }

  /**
   * Reads one packet (a tap queue delivers one frame per read) or whatever is available, waiting at
   * most {@code timeout}.
   *
   * @return the number of bytes read
   * @throws NetlinkException.Timeout if nothing arrived in time
   */
  public static int read(OwnedFd fd, byte[] buf, Duration timeout) {
    return fd.borrow(
        raw -> {
          awaitReadable(raw, timeout, "read", fd.description());
          try {
            // NATIVE: read(2) into a JNA-copied array; raw stays open (we are inside borrow).
            return (int) LibC.read(raw, buf, buf.length);
          } catch (LastErrorException e) {
            throw Errno.exception(e.getErrorCode(), "read", fd.description());
          }
        });
  }

  /** Writes {@code len} bytes (one frame, for a tap queue). */
  public static int write(OwnedFd fd, byte[] buf, int len) {
    return fd.borrow(
        raw -> {
          try {
            // NATIVE: write(2) from a JNA-copied array; raw stays open (we are inside borrow).
            return (int) LibC.write(raw, buf, len);
          } catch (LastErrorException e) {
            throw Errno.exception(e.getErrorCode(), "write", fd.description());
          }
        });
  }

  /**
   * Waits until {@code fd} is readable or {@code timeout} passes (EINTR restarts the wait with the
   * remaining time).
   */
  static void awaitReadable(int fd, Duration timeout, String operation, String object) {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] pollfd = new byte[8];
    ByteBuffer b = ByteBuffer.wrap(pollfd).order(ByteOrder.nativeOrder());
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new NetlinkException.Timeout(
            operation, object, "nothing to read within " + timeout.toMillis() + " ms");
      }
      b.putInt(0, fd).putShort(4, LibC.POLLIN).putShort(6, (short) 0);
      int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000));
      try {
        // NATIVE: poll(2) on one pollfd in a JNA-copied array (revents copied back); fd is open
        // for the duration (the caller borrows it or owns it).
        if (LibC.poll(pollfd, 1, millis) > 0) {
          return;
        }
      } catch (LastErrorException e) {
        if (e.getErrorCode() != Errno.EINTR) {
          throw Errno.exception(e.getErrorCode(), "poll", object);
        }
      }
    }
  }
}
