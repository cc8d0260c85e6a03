package org.vmm4j.qmp.transport;

import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketCredentials;
import org.newsclub.net.unix.ConnectionRefusedSocketException;

/**
 * One connected unix stream socket. Owns the socket: {@link #close()} releases it and unblocks a
 * thread reading from {@link #input()}. Writes are not synchronised here; the caller serialises
 * them (one writer at a time, so file descriptors ride with the right bytes).
 */
public final class UnixSocketTransport implements Closeable {
  /** The first pause before another connect attempt when the listen backlog is full. */
  static final long FIRST_RETRY_MILLIS = 1;

  /** The longest pause between connect attempts. */
  static final long MAX_RETRY_MILLIS = 50;

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
   * Connects to the socket at {@code path} within {@code timeout}.
   *
   * <p>A blocking {@code connect(2)} to a unix socket whose listen backlog is full waits until the
   * listener accepts (forever when it is stopped), and junixsocket ignores a connect timeout. So
   * each attempt is non-blocking: one that finds the backlog full ({@code EAGAIN}) is retried on a
   * fresh socket, backing off from {@value #FIRST_RETRY_MILLIS} to {@value #MAX_RETRY_MILLIS} ms,
   * until the deadline. A connected socket is switched back to blocking mode.
   *
   * @throws BacklogFullException when the backlog stayed full until the deadline
   * @throws IOException when nothing listens there (ENOENT, ECONNREFUSED), or another failure
   */
  public static UnixSocketTransport connect(Path path, Duration timeout) throws IOException {
    return connect(path, timeout, () -> {});
  }

  /**
   * {@link #connect(Path, Duration)}, telling {@code backlogFull} when the backlog is first full.
   */
  public static UnixSocketTransport connect(Path path, Duration timeout, Runnable backlogFull)
      throws IOException {
    AFUNIXSocketAddress address = AFUNIXSocketAddress.of(path);
    long deadline = System.nanoTime() + timeout.toNanos();
    long retryMillis = FIRST_RETRY_MILLIS;
    while (true) {
      AFUNIXSocket socket = tryConnect(address);
      if (socket != null) {
        return new UnixSocketTransport(socket, path);
      }
      if (retryMillis == FIRST_RETRY_MILLIS) {
        backlogFull.run();
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new BacklogFullException(path, timeout);
      }
      pause(Math.min(retryMillis, TimeUnit.NANOSECONDS.toMillis(left) + 1));
      retryMillis = Math.min(MAX_RETRY_MILLIS, retryMillis * 2);
    }
  }

  /** One non-blocking connect: the connected socket (blocking again), or null on EAGAIN. */
  private static AFUNIXSocket tryConnect(AFUNIXSocketAddress address) throws IOException {
    AFUNIXSocketChannel channel = AFUNIXSocketChannel.open();
    try {
      channel.configureBlocking(false);
      // NATIVE: connect(2) on an O_NONBLOCK unix socket returns at once. junixsocket reports
      // EAGAIN (backlog full) as false, a pending connect, yet a unix socket never completes one
      // later (finishConnect would wrongly say true): this socket is dropped and a new one tried.
      if (channel.connect(address)) {
        channel.configureBlocking(true);
        return (AFUNIXSocket) channel.socket();
      }
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
    closeQuietly(channel);
    return null;
  }

  private static void pause(long millis) throws InterruptedIOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for room in the listen backlog");
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

  /** Bytes that can be read without blocking (0 when unknown); any thread may ask. */
  public int available() {
    try {
      return in.available();
    } catch (IOException e) {
      return 0;
    }
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

  private static void closeQuietly(Closeable s) {
    try {
      s.close();
    } catch (IOException e) {
      // Closing a unix socket only fails when it is already gone.
    }
  }

  /**
   * A connect found the listener's backlog full until its deadline: the listener does not accept
   * (it is stopped, or serves one client at a time and others wait in its queue).
   */
  public static final class BacklogFullException extends SocketTimeoutException {
    private final transient Duration timeout;

    public BacklogFullException(Path path, Duration timeout) {
      super(path + ": the listen backlog stayed full until the connect deadline");
      this.timeout = timeout;
    }

    /** The connect's deadline. */
    public Duration timeout() {
      return timeout;
    }
  }
}
