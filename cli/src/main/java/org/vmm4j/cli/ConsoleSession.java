package org.vmm4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.vmm4j.core.host.HostCheck;

/**
 * One attachment to a console socket: the guest's output to {@code out}, {@code in} to the guest,
 * each on its own daemon thread; the calling thread decides when it ends.
 *
 * <ul>
 *   <li>Interactive ({@code in} is a terminal in raw mode): Ctrl-] ({@code 0x1d}) detaches; typed
 *       characters are echoed locally when asked (the test guest's agent does not echo).
 *   <li>Scripted: {@code in} is copied through as it is; at its end the session goes on until the
 *       guest has been quiet for {@code drain} (at most {@link #MAX_DRAIN}), then ends.
 * </ul>
 *
 * QEMU serves one client per socket and queues the others: a queued client connects, but nothing
 * comes. When nothing has come within {@code holdWarning}, {@code notice} says so; a scripted
 * session that got nothing at all ends {@link End#NOTHING_CAME}.
 *
 * <p>A session that ends by itself (detached, drained) ends its input and waits for QEMU to close
 * before it returns: QEMU reads only while the guest takes input, and drops a client that has hung
 * up together with whatever that client sent and it had not read yet (the keys typed just before
 * Ctrl-], say). The wait has a deadline, {@code hangUpWait}; when it passes, {@code notice} says
 * that input may be lost.
 */
final class ConsoleSession {
  /** The detach key, Ctrl-]. */
  static final int DETACH = 0x1d;

  /** The longest a scripted session goes on after its input ended, however chatty the guest. */
  static final Duration MAX_DRAIN = Duration.ofSeconds(60);

  /** How a session ended. */
  enum End {
    /** Ctrl-] (or the terminal went away). */
    DETACHED,
    /** The input ended and the guest went quiet. */
    DRAINED,
    /** QEMU closed the connection (it exited, or the chardev went away). */
    CLOSED,
    /** The input ended and nothing at all came from the socket within the deadline. */
    NOTHING_CAME
  }

  /**
   * @param interactive stdin is a terminal in raw mode
   * @param localEcho echo typed characters (interactive only)
   * @param drain the quiet period that ends a scripted session
   * @param holdWarning how long without any output before saying another client may hold it
   * @param hangUpWait at the end, how long to wait for the other end to read the input and close
   */
  record Options(
      boolean interactive,
      boolean localEcho,
      Duration drain,
      Duration holdWarning,
      Duration hangUpWait) {}

  private final SocketChannel channel;
  private final InputStream in;
  private final OutputStream out;
  private final Options options;
  private final Consumer<String> notice;

  private final Object lock = new Object();
  private long received;
  private long lastOutput;
  private long inputEnded;
  private boolean detached;
  private boolean closed;
  private IOException failure;

  ConsoleSession(
      SocketChannel channel,
      InputStream in,
      OutputStream out,
      Options options,
      Consumer<String> notice) {
    this.channel = channel;
    this.in = in;
    this.out = out;
    this.options = options;
    this.notice = notice;
  }

  /**
   * Runs until detached, drained, closed by QEMU, or nothing came.
   *
   * @throws IOException when writing the guest's output or reading the input fails
   */
  End run() throws IOException {
    long start = System.nanoTime();
    daemon(this::guestToOut, "console-out").start();
    daemon(this::inToGuest, "console-in").start();
    boolean warned = false;
    synchronized (lock) {
      while (true) {
        if (failure != null) {
          throw failure;
        }
        End end = ended(System.nanoTime(), start);
        if (end == End.DETACHED || end == End.DRAINED) {
          hangUp();
        }
        if (end != null) {
          return end;
        }
        long now = System.nanoTime();
        if (!warned && received == 0 && now - start >= options.holdWarning().toNanos()) {
          warned = true;
          notice.accept(
              "nothing came from the console for "
                  + HostCheck.seconds(options.holdWarning())
                  + ": another client may hold it (QEMU serves one client per socket)");
        }
        waitMillis(50);
      }
    }
  }

  /** Whether the session is over, and how; called holding the lock. */
  private End ended(long now, long start) {
    if (detached) {
      return End.DETACHED;
    }
    if (closed) {
      return End.CLOSED;
    }
    if (inputEnded == 0) {
      return null;
    }
    if (received == 0) {
      return now - start >= options.holdWarning().toNanos() ? End.NOTHING_CAME : null;
    }
    long quietSince = Math.max(inputEnded, lastOutput);
    if (now - quietSince >= options.drain().toNanos() || now - inputEnded >= MAX_DRAIN.toNanos()) {
      return End.DRAINED;
    }
    return null;
  }

  /**
   * Ends the input (a half-close: QEMU reads all of it, then the end, then closes) and waits, at
   * most {@code hangUpWait}, for QEMU to close; called holding the lock.
   */
  private void hangUp() {
    try {
      channel.shutdownOutput();
    } catch (IOException e) {
      return; // the connection is gone: nothing more can reach the guest
    }
    long deadline = System.nanoTime() + options.hangUpWait().toNanos();
    while (!closed && failure == null) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || Thread.currentThread().isInterrupted()) {
        notice.accept(
            "the guest did not take the input within "
                + HostCheck.seconds(options.hangUpWait())
                + " of the end of the session: what it had not read yet is lost");
        return;
      }
      waitMillis(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
    }
  }

  private void guestToOut() {
    ByteBuffer buf = ByteBuffer.allocate(8192);
    try {
      while (channel.read(buf.clear()) >= 0) {
        synchronized (out) {
          out.write(buf.array(), 0, buf.position());
          out.flush();
        }
        synchronized (lock) {
          received += buf.position();
          lastOutput = System.nanoTime();
        }
      }
      signal(() -> closed = true);
    } catch (ClosedChannelException e) {
      // the session ended and closed the channel
    } catch (IOException e) {
      signal(() -> failureIfOpen(e));
    }
  }

  private void inToGuest() {
    byte[] buf = new byte[4096];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        int detach = options.interactive() ? indexOf(buf, n, DETACH) : -1;
        write(buf, detach < 0 ? n : detach);
        if (detach >= 0) {
          signal(() -> detached = true);
          return;
        }
      }
      signal(
          () -> {
            if (options.interactive()) {
              detached = true;
            } else {
              inputEnded = System.nanoTime();
            }
          });
    } catch (ClosedChannelException e) {
      // the session ended
    } catch (IOException e) {
      signal(() -> failureIfOpen(e));
    }
  }

  private void write(byte[] buf, int n) throws IOException {
    if (n <= 0) {
      return;
    }
    if (options.interactive() && options.localEcho()) {
      synchronized (out) {
        out.write(LocalEcho.of(buf, n));
        out.flush();
      }
    }
    ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
    while (b.hasRemaining()) {
      channel.write(b);
    }
  }

  private void failureIfOpen(IOException e) {
    if (channel.isOpen()) {
      failure = e;
    }
  }

  private void signal(Runnable change) {
    synchronized (lock) {
      change.run();
      lock.notifyAll();
    }
  }

  private void waitMillis(long ms) {
    try {
      lock.wait(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      detached = true;
    }
  }

  private static int indexOf(byte[] buf, int n, int b) {
    for (int i = 0; i < n; i++) {
      if (buf[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
