package org.vmm4j.qmp;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.vmm4j.qmp.transport.LineReader;
import org.vmm4j.qmp.transport.UnixSocketTransport;
import tools.jackson.core.JacksonException;

/**
 * Reads the connection: splits lines, parses them and hands each message to the session, which
 * routes replies by id and events to subscriptions.
 *
 * <p>One thread reads at a time (the baton). During the handshake that is the connecting thread
 * (the reader thread starts after it); then normally the reader thread. A thread blocked in a call
 * may take the baton and read until its own reply arrived, while the reader thread steps aside:
 * QEMU's reply then wakes the caller directly instead of waking the reader thread, which would then
 * wake the caller (one scheduler hand-off less per command; it matters on a loaded host). Only one
 * caller at a time reads; others wait for their reply to be dispatched. A caller stays the reading
 * caller across several waits with {@link #hold()} ({@code device_del}: the reply, then {@code
 * DEVICE_DELETED}): the reader thread does not take the socket in between, and QEMU's event wakes
 * the caller directly too. Other event waiters do not read (a thread waiting for hours would take
 * the fast path from every caller). The reader thread resumes as soon as no caller reads (after
 * {@link #LINGER_NANOS} when nothing is pending, so that back-to-back calls keep the fast path), so
 * events and EOF are seen at once.
 */
final class Reader {
  /** How long the reader thread leaves the baton to callers after the last one left. */
  static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  /** How long the reader thread sleeps before checking again whether callers still read. */
  private static final long STEP_ASIDE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  /** A reading caller re-checks its deadline at least this often (one socket option change). */
  private static final int CALLER_READ_SLICE_MS = 100;

  private static final int SNIPPET = 200;

  private final Session session;
  private final UnixSocketTransport transport;
  private final LineReader lines;
  private final ReentrantLock baton = new ReentrantLock();
  private final AtomicReference<Thread> readingCaller = new AtomicReference<>();
  private final Thread thread;
  private volatile long lastCallerExit;

  Reader(Session session, UnixSocketTransport transport, int maxMessageBytes) {
    this.session = session;
    this.transport = transport;
    this.lines = new LineReader(transport.input(), maxMessageBytes);
    this.thread = new Thread(this::loop, "qmp-reader " + transport.path().getFileName());
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  Thread thread() {
    return thread;
  }

  /** Wakes the reader thread (the connection ended, or a caller left with replies pending). */
  void wake() {
    LockSupport.unpark(thread);
  }

  private void loop() {
    while (session.isConnected()) {
      if (readingCaller.get() != null || lingering()) {
        LockSupport.parkNanos(this, STEP_ASIDE_NANOS);
        continue;
      }
      baton.lock();
      try {
        if (readingCaller.get() == null && session.isConnected()) {
          readOnce(0);
        }
      } finally {
        baton.unlock();
      }
      Thread caller = readingCaller.get();
      if (caller != null) {
        LockSupport.unpark(caller); // it waits for the baton
      }
    }
  }

  private boolean lingering() {
    return !session.hasPending() && System.nanoTime() - lastCallerExit < LINGER_NANOS;
  }

  /**
   * Waits until {@code done} holds or {@code deadline} passed, reading the socket itself while it
   * is the reading caller ({@code claim}: becoming it when no other thread is); runs {@code
   * leaving} on the way out, before the reader thread may be woken. Whoever makes {@code done} hold
   * on another thread must unpark the waiting thread.
   */
  void await(BooleanSupplier done, long deadline, boolean claim, Runnable leaving)
      throws InterruptedException {
    Thread me = Thread.currentThread();
    boolean claimed = claim && readingCaller.compareAndSet(null, me);
    try {
      while (!done.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        if (Thread.interrupted()) {
          throw new InterruptedException(); // also between read slices
        }
        if (claim && readingCaller.get() != me) {
          claimed = readingCaller.compareAndSet(null, me);
        }
        if (readingCaller.get() == me && baton.tryLock()) {
          try {
            if (!done.getAsBoolean() && session.isConnected()) {
              readOnce((int) Math.min(CALLER_READ_SLICE_MS, Math.max(1, left / 1_000_000)));
            }
          } finally {
            baton.unlock();
          }
        } else {
          LockSupport.parkNanos(this, left);
        }
      }
    } finally {
      leaving.run();
      if (claimed) {
        release();
      }
    }
  }

  /** Bytes read from the socket so far; any thread may ask. */
  long received() {
    return lines.bytesRead();
  }

  /**
   * Before the reader thread starts: reads on the calling thread until QEMU sent anything, the
   * connection ended or {@code deadline} passed; then, if nothing came, looks once more without
   * waiting, so that what arrived while this thread waited for a CPU counts as in time. Returns
   * whether QEMU sent anything.
   */
  boolean awaitFirstBytes(long deadline) throws InterruptedException {
    await(() -> lines.bytesRead() > 0 || !session.isConnected(), deadline, true, () -> {});
    if (lines.bytesRead() == 0 && session.isConnected() && baton.tryLock()) {
      try {
        readOnce(1);
      } finally {
        baton.unlock();
      }
    }
    return lines.bytesRead() > 0;
  }

  /**
   * Makes the current thread the reading caller until the returned hold is closed, if no other
   * thread is: its waits in between ({@link #await}) read the socket themselves and the reader
   * thread does not take it between them.
   */
  Hold hold() {
    boolean claimed = readingCaller.compareAndSet(null, Thread.currentThread());
    return claimed ? this::release : () -> {};
  }

  /** Whether the current thread is the reading caller (holds the socket). */
  boolean readingHere() {
    return readingCaller.get() == Thread.currentThread();
  }

  /** A claim of the socket by the current thread ({@link #hold()}). */
  interface Hold extends AutoCloseable {
    @Override
    void close();
  }

  private void release() {
    readingCaller.set(null);
    lastCallerExit = System.nanoTime();
    if (session.hasPending() || !session.isConnected()) {
      wake();
    }
  }

  /** Under the baton: one read, each complete line dispatched. Ends the session on EOF or error. */
  private void readOnce(int timeoutMillis) {
    try {
      transport.setReadTimeout(timeoutMillis);
      if (lines.readOnce(this::onLine) < 0) {
        session.endOfStream(lines.pendingBytes());
      }
    } catch (SocketTimeoutException e) {
      // a slice of a caller's wait ended: it re-checks its deadline
    } catch (LineReader.LineTooLongException e) {
      session.protocolFailure(
          new QmpProtocolException("QEMU sent a " + e.getMessage() + " (the limit)", e));
    } catch (QmpProtocolException e) {
      session.protocolFailure(e);
    } catch (IOException | RuntimeException e) {
      session.ioFailure(e);
    }
  }

  private void onLine(byte[] buf, int offset, int length) {
    int off = offset;
    int len = length;
    while (len > 0 && buf[off + len - 1] <= ' ') {
      len--;
    }
    while (len > 0 && buf[off] <= ' ') {
      off++;
      len--;
    }
    if (len == 0) {
      return;
    }
    Message m;
    try {
      m = Message.classify(Json.parse(buf, off, len));
    } catch (JacksonException | IllegalArgumentException e) {
      throw new QmpProtocolException(
          "not a QMP message (" + firstLine(e) + "): " + snippet(buf, off, len), e);
    }
    int o = off;
    int l = len;
    session.dispatch(m, () -> snippet(buf, o, l));
  }

  static String snippet(byte[] buf, int off, int len) {
    String s = new String(buf, off, Math.min(len, SNIPPET), StandardCharsets.UTF_8);
    return len > SNIPPET ? s + "... (" + len + " bytes)" : s;
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
