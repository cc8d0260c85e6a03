package org.vmm4j.network;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The libc functions this module calls, bound with JNA direct mapping (one JNI stub per function,
 * no proxy). Every function that can fail is declared to throw {@link LastErrorException}, which
 * JNA raises with the errno captured right after the call; callers in this package turn it into a
 * typed {@code NetlinkException} naming the operation and the object.
 *
 * <p>Assumes an LP64 Linux ABI (x86-64, arm64): {@code size_t}/{@code ssize_t}/{@code unsigned
 * long} are Java {@code long}, {@code int} is {@code int}. Primitive arrays are copied in before
 * and out after each call. Nothing here retains pointers beyond a call.
 */
final class LibC {
  static {
    Native.register(LibC.class, Platform.C_LIBRARY_NAME);
  }

  static final int AF_NETLINK = 16;
  static final int SOCK_RAW = 3;
  static final int SOCK_CLOEXEC = 0x80000;
  static final int SOL_SOCKET = 1;
  static final int SO_RCVBUF = 8;
  static final int SO_SNDBUF = 7;
  static final int SOL_NETLINK = 270;
  static final int NETLINK_CAP_ACK = 10;
  static final int NETLINK_EXT_ACK = 11;
  static final int MSG_DONTWAIT = 0x40;
  static final int MSG_TRUNC = 0x20;

  static final int O_RDONLY = 0;
  static final int O_RDWR = 2;
  static final int O_CREAT = 0x40;
  static final int O_EXCL = 0x80;
  static final int O_NONBLOCK = 0x800;
  static final int O_CLOEXEC = 0x80000;

  static final short POLLIN = 0x1;
  static final short POLLOUT = 0x4;

  static final int CLONE_NEWNS = 0x00020000;
  static final int CLONE_NEWNET = 0x40000000;
  static final long MS_BIND = 4096;
  static final long MS_REC = 16384;
  static final long MS_SLAVE = 1 << 19;
  static final long MS_SHARED = 1 << 20;
  static final int MNT_DETACH = 2;
  static final int S_IFCHR = 0020000;

  private LibC() {}

  static native int socket(int domain, int type, int protocol) throws LastErrorException;

  static native int bind(int fd, byte[] addr, int addrlen) throws LastErrorException;

  static native int getsockname(int fd, byte[] addr, int[] addrlen) throws LastErrorException;

  static native int setsockopt(int fd, int level, int name, int[] value, int len)
      throws LastErrorException;

  static native long send(int fd, byte[] buf, long len, int flags) throws LastErrorException;

  static native long recv(int fd, byte[] buf, long len, int flags) throws LastErrorException;

  static native long read(int fd, byte[] buf, long len) throws LastErrorException;

  static native long write(int fd, byte[] buf, long len) throws LastErrorException;

  /** {@code fds} is an array of {@code struct pollfd {int fd; short events; short revents;}}. */
  static native int poll(byte[] fds, long nfds, int timeoutMillis) throws LastErrorException;

  static native int open(String path, int flags, int mode) throws LastErrorException;

  static native int close(int fd) throws LastErrorException;

  /** The variadic third argument is passed as a pointer-sized value (a buffer or an integer). */
  static native int ioctl(int fd, long request, Pointer arg) throws LastErrorException;

  static native int unshare(int flags) throws LastErrorException;

  static native int setns(int fd, int nstype) throws LastErrorException;

  static native int mount(String source, String target, String fstype, long flags, Pointer data)
      throws LastErrorException;

  static native int umount2(String target, int flags) throws LastErrorException;

  static native int mknod(String path, int mode, long dev) throws LastErrorException;

  static native int gettid();
}
