package org.vmm4j.qmp.transport;

import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketCredentials;
import org.newsclub.net.unix.ConnectionRefusedSocketException;

/**
 * One connected unix stream socket. Owns the socket: {@link #close()} releases it and unblocks a
 * thread reading from {@link #input()}. Writes are not synchronised here; the caller serialises
 * them (one writer at a time, so file descriptors ride with the right bytes).
 */
public final class UnixSocketTransport implements Closeable {
  /** strerror(ENOENT), which junixsocket puts in the message of a plain SocketException. */
  private static final String ENOENT_TEXT = "No such file or directory";

  private final AFUNIXSocket socket;
  private final InputStream in;
  private final OutputStream out;
  private final Path path;
  private int readTimeoutMillis;

  private UnixSocketTransport(AFUNIXSocket socket, Path path) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
    this.path = path;
  }

  /**
   * Connects to the socket at {@code path}.
   *
   * @throws IOException when nothing listens there (ENOENT, ECONNREFUSED) or the connect does not
   *     complete within {@code timeout}
   */
  public static UnixSocketTransport connect(Path path, Duration timeout) throws IOException {
    AFUNIXSocket socket = AFUNIXSocket.newInstance();
    try {
      int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
      socket.connect(AFUNIXSocketAddress.of(path), millis);
      return new UnixSocketTransport(socket, path);
    } catch (IOException | RuntimeException e) {
      closeQuietly(socket);
      throw e;
    }
  }

  /**
   * True when a connect failed because nobody listens at {@code path} yet: the file does not exist,
   * or it exists and refuses (QEMU creates the file just before it calls listen). The error itself
   * decides: the file may have appeared between the failed connect and this check.
   */
  public static boolean notListening(IOException e, Path path) {
    return e instanceof ConnectionRefusedSocketException
        || String.valueOf(e.getMessage()).contains(ENOENT_TEXT)
        || !Files.exists(path);
  }

  /** The socket's path, for messages. */
  public Path path() {
    return path;
  }

  /** The stream the single reader thread reads from. */
  public InputStream input() {
    return in;
  }

  /**
   * Writes {@code bytes} completely. When {@code fds} is non-empty they are sent as SCM_RIGHTS
   * ancillary data of the first {@code sendmsg} that carries these bytes. The caller keeps
   * ownership of the descriptors (the kernel duplicates them into the peer).
   */
  public void write(byte[] bytes, FileDescriptor[] fds) throws IOException {
    if (fds.length == 0) {
      out.write(bytes);
      return;
    }
    // NATIVE: junixsocket attaches these fds to the next sendmsg on this socket; the caller holds
    // the write lock, so that sendmsg carries the start of `bytes`.
    socket.setOutboundFileDescriptors(fds);
    try {
      out.write(bytes);
    } finally {
      socket.setOutboundFileDescriptors((FileDescriptor[]) null);
    }
  }

  /**
   * Sets how long a read may block (0: forever) before it fails with {@link
   * java.net.SocketTimeoutException}; the socket stays usable. Only the thread that reads calls it.
   */
  public void setReadTimeout(int millis) throws IOException {
    if (millis != readTimeoutMillis) {
      socket.setSoTimeout(millis);
      readTimeoutMillis = millis;
    }
  }

  /** The pid of the process at the other end (SO_PEERCRED), when the kernel reports one. */
  public OptionalLong peerPid() {
    try {
      // NATIVE: getsockopt(SO_PEERCRED) on a connected socket; the credentials of the listener.
      AFUNIXSocketCredentials creds = socket.getPeerCredentials();
      long pid = creds == null ? -1 : creds.getPid();
      return pid > 0 ? OptionalLong.of(pid) : OptionalLong.empty();
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }

  /** True once {@link #close()} ran. */
  public boolean isClosed() {
    return socket.isClosed();
  }

  @Override
  public void close() {
    closeQuietly(socket);
  }

  private static void closeQuietly(AFUNIXSocket s) {
    try {
      s.close();
    } catch (IOException e) {
      // Closing a unix socket only fails when it is already gone.
    }
  }
}
