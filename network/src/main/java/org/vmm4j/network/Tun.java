package org.vmm4j.network;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** tuntap queues through {@code /dev/net/tun} ({@code linux/if_tun.h}). */
final class Tun {
  static final Path DEVICE = Path.of("/dev/net/tun");

  static final long TUNSETIFF = 0x400454caL;
  static final long TUNSETPERSIST = 0x400454cbL;
  private static final int IFNAMSIZ = 16;
  private static final int IFREQ_SIZE = 40;

  private Tun() {}

  /**
   * Opens one queue of tap/tun device {@code name} in the calling thread's network namespace,
   * creating the device if it does not exist ({@code TUNSETIFF}). For a multi-queue device, each
   * call adds a queue.
   *
   * @param flags {@link TapDevice#IFF_TAP} | {@link TapDevice#IFF_NO_PI} | ...
   * @param description what the fd is, for messages
   */
  static OwnedFd openQueue(String name, int flags, String description) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    if (n.length >= IFNAMSIZ || n.length == 0) {
      throw Errno.exception(Errno.EINVAL, "TUNSETIFF", name + " (name of 1..15 bytes)");
    }
    OwnedFd fd = Fds.openReadWrite(DEVICE, description);
    try (Memory ifreq = new Memory(IFREQ_SIZE)) {
      ifreq.clear();
      ifreq.write(0, n, 0, n.length);
      ifreq.setShort(IFNAMSIZ, (short) flags);
      fd.borrow(
          raw -> {
            try {
              // NATIVE: ioctl(2) TUNSETIFF with a 40-byte struct ifreq {name[16]; short flags}
              // that JNA's Memory owns and frees after the call; raw is our fresh /dev/net/tun fd.
              return LibC.ioctl(raw, TUNSETIFF, ifreq);
            } catch (LastErrorException e) {
              throw Errno.exception(e.getErrorCode(), "TUNSETIFF", name);
            }
          });
      return fd;
    } catch (RuntimeException e) {
      fd.close();
      throw e;
    }
  }

  /** Makes the device behind an attached queue persistent (or not): it outlives its fds. */
  static void setPersist(OwnedFd queue, boolean persist, String name) {
    queue.borrow(
        raw -> {
          try {
            // NATIVE: ioctl(2) TUNSETPERSIST; the argument is the value itself, not a pointer.
            return LibC.ioctl(raw, TUNSETPERSIST, new Pointer(persist ? 1 : 0));
          } catch (LastErrorException e) {
            throw Errno.exception(e.getErrorCode(), "TUNSETPERSIST", name);
          }
        });
  }
}
