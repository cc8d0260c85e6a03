package org.vmm4j.network;

import com.sun.jna.LastErrorException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;

/**
 * A {@code NETLINK_ROUTE} socket, bound to the network namespace of the thread that opened it (for
 * its whole life, whichever thread uses it later). It asks the kernel for extended acks (error
 * texts) and capped acks (errors do not echo the whole request).
 */
final class NativeNetlinkSocket implements NetlinkTransport {
  private static final int NETLINK_ROUTE = 0;
  private static final int RECEIVE_BUFFER = 256 * 1024;
  private static final int SOCKET_BUFFER = 1024 * 1024;

  private final OwnedFd fd;
  private final int portId;
  private final String description;
  private final byte[] buffer = new byte[RECEIVE_BUFFER];

  private NativeNetlinkSocket(OwnedFd fd, int portId, String description) {
    this.fd = fd;
    this.portId = portId;
    this.description = description;
  }

  /**
   * Opens a route socket in the calling thread's network namespace.
   *
   * @param description where it is, for messages (e.g. {@code "netns vmm4j-t1"})
   */
  public static NativeNetlinkSocket open(String description) {
    String what = "netlink route socket (" + description + ")";
    OwnedFd fd;
    try {
      // NATIVE: socket(2). No preconditions; the new fd is owned by the OwnedFd at once.
      fd =
          OwnedFd.adopt(
              LibC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, NETLINK_ROUTE), what);
    } catch (LastErrorException e) {
      throw Errno.exception(e.getErrorCode(), "socket", what);
    }
    try {
      int port = fd.borrow(raw -> configure(raw, what));
      return new NativeNetlinkSocket(fd, port, what);
    } catch (RuntimeException e) {
      fd.close();
      throw e;
    }
  }

  private static int configure(int raw, String what) {
    setOption(raw, LibC.SOL_NETLINK, LibC.NETLINK_EXT_ACK, 1, what, true);
    setOption(raw, LibC.SOL_NETLINK, LibC.NETLINK_CAP_ACK, 1, what, true);
    setOption(raw, LibC.SOL_SOCKET, LibC.SO_RCVBUF, SOCKET_BUFFER, what, false);
    setOption(raw, LibC.SOL_SOCKET, LibC.SO_SNDBUF, SOCKET_BUFFER, what, false);
    byte[] addr = new byte[12];
    ByteBuffer.wrap(addr).order(ByteOrder.nativeOrder()).putShort(0, (short) LibC.AF_NETLINK);
    try {
      // NATIVE: bind(2) to sockaddr_nl{AF_NETLINK, pid 0 (kernel assigns), groups 0}; raw is open.
      LibC.bind(raw, addr, addr.length);
      int[] len = {addr.length};
      // NATIVE: getsockname(2) fills the same 12-byte sockaddr_nl; len in/out.
      LibC.getsockname(raw, addr, len);
    } catch (LastErrorException e) {
      throw Errno.exception(e.getErrorCode(), "bind", what);
    }
    return ByteBuffer.wrap(addr).order(ByteOrder.nativeOrder()).getInt(4);
  }

  private static void setOption(
      int raw, int level, int name, int value, String what, boolean optional) {
    try {
      // NATIVE: setsockopt(2) with an int value; raw is open. Old kernels lack the netlink ack
      // options (ENOPROTOOPT): they are optional, replies then simply carry no error text.
      LibC.setsockopt(raw, level, name, new int[] {value}, 4);
    } catch (LastErrorException e) {
      if (!optional) {
        throw Errno.exception(e.getErrorCode(), "setsockopt " + name, what);
      }
    }
  }

  @Override
  public void send(byte[] datagram) {
    fd.borrow(
        raw -> {
          try {
            // NATIVE: send(2) to the default destination (the kernel, port 0) from a JNA-copied
            // array. A netlink send is atomic: all or an error.
            return LibC.send(raw, datagram, datagram.length, 0);
          } catch (LastErrorException e) {
            throw Errno.exception(e.getErrorCode(), "send", description);
          }
        });
  }

  @Override
  public byte[] receive(Duration timeout) {
    return fd.borrow(raw -> receive(raw, timeout));
  }

  private byte[] receive(int raw, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = Math.max(0, deadline - System.nanoTime());
      Fds.awaitReadable(raw, Duration.ofNanos(left), "receive", description);
      long n;
      try {
        // NATIVE: recv(2) into our buffer (JNA copies back); MSG_TRUNC makes it return the real
        // datagram length so truncation is detected; MSG_DONTWAIT since poll said readable.
        n = LibC.recv(raw, buffer, buffer.length, LibC.MSG_TRUNC | LibC.MSG_DONTWAIT);
      } catch (LastErrorException e) {
        if (e.getErrorCode() == Errno.EAGAIN || e.getErrorCode() == Errno.EINTR) {
          continue;
        }
        throw Errno.exception(e.getErrorCode(), "recv", description);
      }
      if (n > buffer.length) {
        throw new NetlinkException(
            "recv", description, "datagram of " + n + " bytes exceeds the buffer", 0);
      }
      return Arrays.copyOf(buffer, (int) n);
    }
  }

  @Override
  public int portId() {
    return portId;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public void close() {
    fd.close();
  }
}
