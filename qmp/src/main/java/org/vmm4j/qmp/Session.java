package org.vmm4j.qmp;

import java.io.FileDescriptor;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmm4j.qmp.transport.UnixSocketTransport;
import tools.jackson.databind.JsonNode;

/**
 * One QMP connection: the routing of what QEMU sends (replies by id to their pending calls, events
 * to subscriptions; the {@link Reader} decides which thread reads), the write path (one writer at a
 * time, file descriptors with their command, a watchdog for a write QEMU never drains), and the end
 * of the connection (every pending call and subscription fails at once, {@code quit} succeeds).
 */
final class Session implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Session.class);
  private static final long WATCHDOG_PERIOD_MS = 250;

  private final UnixSocketTransport transport;
  private final QmpOptions options;
  private final String where;
  private final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicLong lastId = new AtomicLong();
  private final AtomicInteger eventWaiters = new AtomicInteger();
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Semaphore fdPermit = new Semaphore(1, true);
  private final CopyOnWriteArrayList<EventSubscription> subscriptions =
      new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<java.util.function.Consumer<QmpEvent>> listeners =
      new CopyOnWriteArrayList<>();
  private final CompletableFuture<QmpGreeting> greeting = new CompletableFuture<>();
  private final CompletableFuture<QmpDisconnectedException> disconnected =
      new CompletableFuture<>();
  private final AtomicReference<QmpDisconnectedException> failure = new AtomicReference<>();
  private final Reader reader;
  private volatile Semaphore inFlight;
  private volatile boolean closing;
  private volatile boolean quitSent;
  private volatile long writeDeadline;
  private final ScheduledFuture<?> watchdog;

  /** A session owning a connected transport; the connecting thread reads the handshake itself. */
  Session(UnixSocketTransport transport, QmpOptions options) {
    this.transport = transport;
    this.options = options;
    this.where = transport.path().toString();
    this.reader = new Reader(this, transport, options.maxMessageBytes());
    this.watchdog =
        Shared.TIMER.scheduleWithFixedDelay(
            this::checkBlockedWrite, WATCHDOG_PERIOD_MS, WATCHDOG_PERIOD_MS, TimeUnit.MILLISECONDS);
  }

  /** After the handshake: the reader thread reads whenever no caller does. */
  void startReading() {
    reader.start();
  }

  /** Who reads the connection: the handshake reads through it on the connecting thread. */
  Reader reader() {
    return reader;
  }

  String where() {
    return where;
  }

  CompletableFuture<QmpGreeting> greeting() {
    return greeting;
  }

  CompletableFuture<QmpDisconnectedException> disconnected() {
    return disconnected;
  }

  boolean isConnected() {
    return failure.get() == null;
  }

  /** Why the connection ended, or null while it is up. */
  QmpDisconnectedException failure() {
    return failure.get();
  }

  /** After OOB was negotiated: QEMU queues at most this many in-band commands. */
  void limitInFlight(int max) {
    inFlight = new Semaphore(max, true);
  }

  /**
   * Registers and writes {@code command}; the returned pending's future completes with QEMU's
   * {@link Message.Return} or {@link Message.Error}, or fails with {@link
   * QmpDisconnectedException}.
   *
   * @throws QmpException when the connection is already gone, or the deadline passes before the
   *     command could be written (waiting for the previous fd-carrying command or for the writer)
   */
  Pending send(Command<?> command, Duration timeout, long deadline) {
    QmpDisconnectedException gone = failure.get();
    if (gone != null) {
      throw gone.forOperation(CommandText.describe(command));
    }
    FileDescriptor[] fds = command.fds().toArray(new FileDescriptor[0]);
    Pending p =
        new Pending(lastId.incrementAndGet(), command, acquire(command, fds, timeout, deadline));
    byte[] line;
    try {
      line = Json.encodeCommand(command.commandName(), command.arguments(), p.id);
    } catch (RuntimeException e) {
      p.releasePermits();
      throw e;
    }
    pending.put(p.id, p);
    if (p.isQuit()) {
      quitSent = true;
    }
    gone = failure.get();
    if (gone != null) {
      settle(p, gone);
      return p;
    }
    write(p, line, fds, timeout, deadline);
    return p;
  }

  /** Forgets a command whose caller gave up before it was written. */
  private void forget(Pending p) {
    pending.remove(p.id, p);
    p.releasePermits();
  }

  private Semaphore[] acquire(
      Command<?> command, FileDescriptor[] fds, Duration timeout, long deadline) {
    Semaphore oob = inFlight;
    Semaphore[] wanted =
        fds.length == 0
            ? (oob == null ? new Semaphore[0] : new Semaphore[] {oob})
            : (oob == null ? new Semaphore[] {fdPermit} : new Semaphore[] {fdPermit, oob});
    for (int i = 0; i < wanted.length; i++) {
      if (!tryAcquire(wanted[i], command, deadline)) {
        for (int j = 0; j < i; j++) {
          wanted[j].release();
        }
        String what =
            wanted[i] == fdPermit
                ? "the previous fd-carrying command to complete"
                : "a free slot (OOB: at most " + QmpOptions.OOB_MAX_IN_FLIGHT + " in flight)";
        throw new QmpTimeoutException(
            CommandText.describe(command) + ": timed out waiting for " + what, timeout);
      }
    }
    return wanted;
  }

  private static boolean tryAcquire(Semaphore s, Command<?> command, long deadline) {
    try {
      return s.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QmpInterruptedException(CommandText.describe(command), e);
    }
  }

  private void write(
      Pending p, byte[] line, FileDescriptor[] fds, Duration timeout, long deadline) {
    boolean locked;
    try {
      locked = writeLock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      forget(p);
      Thread.currentThread().interrupt();
      throw new QmpInterruptedException(CommandText.describe(p.command), e);
    }
    if (!locked) {
      forget(p);
      throw new QmpTimeoutException(
          CommandText.describe(p.command) + ": timed out waiting to write (QEMU is not reading)",
          timeout);
    }
    try {
      writeDeadline = deadline;
      transport.write(line, fds);
    } catch (IOException e) {
      connectionLost(
          new QmpDisconnectedException("QMP " + where + ": write failed: " + e.getMessage(), e));
    } finally {
      writeDeadline = 0;
      writeLock.unlock();
    }
  }

  /** A write still blocked at its command's deadline means QEMU stopped reading: give up. */
  private void checkBlockedWrite() {
    long d = writeDeadline;
    if (d != 0 && System.nanoTime() - d > 0) {
      connectionLost(
          new QmpDisconnectedException(
              "QMP " + where + ": QEMU did not read a command before its deadline; closing", null));
    }
  }

  QmpClient.Registration listen(java.util.function.Consumer<QmpEvent> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  EventSubscription subscribe(String event, Predicate<QmpEvent> filter, int capacity) {
    EventSubscription s =
        new EventSubscription(event, filter, capacity, subscriptions::remove, this::awaitEvent);
    subscriptions.add(s);
    QmpDisconnectedException gone = failure.get();
    if (gone != null) {
      s.disconnected(gone);
    }
    return s;
  }

  /**
   * Whether a reply or an event is awaited: then the reader thread reads at once instead of leaving
   * the socket to callers for a while (an event waiter does not read the socket itself).
   */
  boolean hasPending() {
    return !pending.isEmpty() || eventWaiters.get() > 0;
  }

  /**
   * A thread waits in {@link EventSubscription#next}: it reads the socket itself when it holds it
   * ({@link #holdReading()}); otherwise the reader thread must read now, and does while it is
   * counted.
   */
  private void awaitEvent(BooleanSupplier ready, long deadline) throws InterruptedException {
    eventWaiters.incrementAndGet();
    if (!reader.readingHere()) {
      reader.wake();
    }
    reader.await(ready, deadline, false, eventWaiters::decrementAndGet);
  }

  /** Waits, reading the socket itself when it can, until {@code p}'s reply or the deadline. */
  void await(Pending p, long deadline) throws InterruptedException {
    p.waiter = Thread.currentThread();
    reader.await(p.reply::isDone, deadline, true, () -> p.waiter = null);
  }

  /**
   * Keeps the current thread the one that reads the socket (when no other caller is) until the hold
   * is closed, across several waits: {@code device_del}'s reply, then its event.
   */
  Reader.Hold holdReading() {
    return reader.hold();
  }

  /** QEMU closed the connection; {@code partial} bytes of an unterminated message were dropped. */
  void endOfStream(int partial) {
    String after = quitSent ? " after quit" : "";
    String cut = partial > 0 ? " (" + partial + " bytes of an unterminated message dropped)" : "";
    connectionLost(
        new QmpDisconnectedException(
            "QMP " + where + ": QEMU closed the connection" + after + cut, null));
  }

  void protocolFailure(QmpProtocolException e) {
    connectionLost(
        new QmpDisconnectedException(
            "QMP " + where + ": closed on a protocol error: " + e.getMessage(), e));
  }

  void ioFailure(Exception e) {
    String after = quitSent ? " after quit" : "";
    connectionLost(
        closing
            ? new QmpDisconnectedException("QMP " + where + ": closed by the client", null)
            : new QmpDisconnectedException(
                "QMP " + where + ": connection lost (" + e.getMessage() + ")" + after, e));
  }

  /** Routes one message from QEMU (called by whichever thread holds the reading baton). */
  void dispatch(Message m, Supplier<String> text) {
    if (m instanceof Message.Event e) {
      LOG.debug("QMP {}: event {}", where, e.event());
      for (EventSubscription s : subscriptions) {
        s.offer(e.event());
      }
      for (java.util.function.Consumer<QmpEvent> l : listeners) {
        try {
          l.accept(e.event());
        } catch (RuntimeException x) {
          LOG.warn("QMP {}: an event listener failed on {}: {}", where, e.event(), x.toString());
        }
      }
    } else if (m instanceof Message.Greeting g) {
      if (!greeting.complete(g.greeting()) && isConnected()) {
        // QEMU greets once per connection
        throw new QmpProtocolException("a second greeting: " + text.get(), null);
      }
    } else if (m instanceof Message.Return r) {
      onReply(r.id(), m, text);
    } else if (m instanceof Message.Error e) {
      onReply(e.id(), m, text);
    } else {
      throw new AssertionError(m);
    }
  }

  private void onReply(JsonNode id, Message m, Supplier<String> text) {
    if (!greeting.isDone()) {
      throw new QmpProtocolException("a reply before the greeting: " + text.get(), null);
    }
    if (id == null || id.isNull()) {
      String what =
          m instanceof Message.Error e
              ? "QEMU could not parse a command (error without id): "
                  + e.errorClass()
                  + ": "
                  + e.desc()
              : "a reply without id: " + text.get();
      throw new QmpProtocolException(what, null);
    }
    Pending p = id.isIntegralNumber() ? pending.remove(id.asLong()) : null;
    if (p == null) {
      // Not fatal: QEMU hands the late reply of a client that went away (a killed controller)
      // to the next client on the socket, ids and all.
      LOG.warn("QMP {}: dropping a reply with an unknown id: {}", where, text.get());
      return;
    }
    p.releasePermits();
    if (!p.reply.complete(m)) {
      LOG.debug(
          "QMP {}: late reply to {} (id {}) dropped", where, CommandText.describe(p.command), id);
    }
    p.wakeWaiter();
  }

  /** Ends the connection once: every pending call and subscription learns it at once. */
  void connectionLost(QmpDisconnectedException d) {
    if (!failure.compareAndSet(null, d)) {
      return;
    }
    watchdog.cancel(false);
    transport.close();
    greeting.completeExceptionally(d);
    for (Pending p : pending.values()) {
      settle(p, d);
    }
    for (EventSubscription s : subscriptions) {
      s.disconnected(d);
    }
    reader.wake();
    // every caller learns it (its call fails, disconnected() completes): not a warning
    LOG.debug("{}", d.getMessage(), d.getCause());
    disconnected.complete(d);
  }

  private void settle(Pending p, QmpDisconnectedException d) {
    pending.remove(p.id, p);
    p.releasePermits();
    if (p.isQuit()) {
      p.reply.complete(new Message.Return(null, Json.object()));
    } else {
      p.reply.completeExceptionally(d);
    }
    p.wakeWaiter();
  }

  /** Closes the connection; pending calls fail with "closed by the client". Idempotent. */
  @Override
  public void close() {
    closing = true;
    connectionLost(new QmpDisconnectedException("QMP " + where + ": closed by the client", null));
    if (Thread.currentThread() != reader.thread()) {
      try {
        reader.thread().join(TimeUnit.SECONDS.toMillis(1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
