package org.vmm4j.network;

import java.util.function.IntFunction;

/**
 * A file descriptor with exactly one owner: a tap or macvtap queue, a vhost-net device, a
 * namespace. Closing it is idempotent. The raw number never leaves this object except inside {@link
 * #borrow}, which exists for the one place that must see it: handing the descriptor to another
 * process (SCM_RIGHTS through junixsocket's {@code FileDescriptorCast}, for QMP {@code getfd}). The
 * descriptor stays open, and cannot be closed by another thread, while a borrower runs.
 *
 * <p>Every descriptor this module opens has {@code O_CLOEXEC}: child processes never inherit it.
 */
public final class OwnedFd implements AutoCloseable {
  private final String description;
  private int fd;

  private OwnedFd(int fd, String description) {
    this.fd = fd;
    this.description = description;
  }

  /**
   * Takes ownership of {@code fd}. For native layers only (this module's JNA layer, or a test that
   * opened something itself): above them, descriptors travel as {@code OwnedFd}s.
   *
   * @param description what it is, for messages: {@code "/dev/net/tun tap0_kata queue 1"}
   */
  public static OwnedFd adopt(int fd, String description) {
    if (fd < 0) {
      throw new IllegalArgumentException("adopt " + description + ": negative fd " + fd);
    }
    return new OwnedFd(fd, description);
  }

  /** What this descriptor is, e.g. {@code /dev/tap8231 queue 0}. */
  public String description() {
    return description;
  }

  public synchronized boolean isOpen() {
    return fd >= 0;
  }

  /**
   * Runs {@code borrower} with the raw descriptor; it must not close it or keep it beyond the call.
   *
   * @throws NetlinkException if this descriptor is already closed
   */
  public synchronized <R> R borrow(IntFunction<R> borrower) {
    if (fd < 0) {
      throw new NetlinkException("borrow", description, "descriptor already closed", 0);
    }
    return borrower.apply(fd);
  }

  /** Closes the descriptor; later calls do nothing. */
  @Override
  public synchronized void close() {
    if (fd >= 0) {
      int old = fd;
      fd = -1;
      Fds.close(old, description);
    }
  }

  @Override
  public synchronized String toString() {
    return fd >= 0 ? description + " (fd " + fd + ")" : description + " (closed)";
  }
}
