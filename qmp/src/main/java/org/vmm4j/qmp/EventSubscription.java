package org.vmm4j.qmp;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events of one name (or all) that pass a filter, queued from the moment of {@link
 * QmpClient#subscribe}: subscribe <em>before</em> sending the command whose event you expect
 * ({@code RESUME}, {@code STOP} and {@code DEVICE_DELETED} can precede the reply).
 *
 * <p>Reading never blocks on a subscriber: when the bounded queue is full, new events are dropped,
 * counted in {@link #dropped()} and logged as a warning. The filter runs on the thread that reads
 * the socket (the reader thread, a caller waiting for its reply, or {@link QmpClient#deviceDel}
 * waiting for its event) and must be cheap. When the connection ends, queued events are still
 * returned, then {@link #next} throws {@link QmpDisconnectedException}. Thread-safe; close it when
 * done.
 */
public final class EventSubscription implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventSubscription.class);

  private final String event;
  private final Predicate<QmpEvent> filter;
  private final int capacity;
  private final Consumer<EventSubscription> onClose;
  private final Awaiter awaiter;
  private final ArrayDeque<QmpEvent> queue = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final List<Thread> waiters = new ArrayList<>(1);
  private long dropped;
  private boolean overflowing;
  private boolean closed;
  private QmpDisconnectedException disconnect;

  /** How {@link #next} waits on an empty queue: the session's, which has the socket read. */
  @FunctionalInterface
  interface Awaiter {
    /**
     * Returns when {@code ready} holds, at {@code deadline}, or earlier; the waiting thread is
     * unparked when an event is queued, the subscription closed or the connection ended.
     */
    void await(BooleanSupplier ready, long deadline) throws InterruptedException;
  }

  /** {@code awaiter} is how {@link #next} waits on an empty queue. */
  EventSubscription(
      String event,
      Predicate<QmpEvent> filter,
      int capacity,
      Consumer<EventSubscription> onClose,
      Awaiter awaiter) {
    this.awaiter = awaiter;
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity below 1: " + capacity);
    }
    this.event = event;
    this.filter = filter;
    this.capacity = capacity;
    this.onClose = onClose;
  }

  /** The event name subscribed to, or null for every event. */
  public String event() {
    return event;
  }

  /**
   * The next matching event, waiting up to {@code timeout}.
   *
   * @throws QmpEventTimeoutException when none came in time
   * @throws QmpDisconnectedException when the connection ended and the queue is empty
   * @throws QmpInterruptedException when the thread is interrupted
   * @throws IllegalStateException when the subscription is closed
   */
  public QmpEvent next(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      lock.lock();
      try {
        QmpEvent e = queue.poll();
        if (e != null) {
          return e;
        }
        checkOpen();
        if (deadline - System.nanoTime() <= 0) {
          throw new QmpEventTimeoutException(
              "no " + name() + " event within " + Durations.format(timeout), name(), timeout);
        }
        waiters.add(Thread.currentThread());
      } finally {
        lock.unlock();
      }
      await(deadline);
    }
  }

  /** Waits (outside the lock: this thread may read and offer) until something changed. */
  private void await(long deadline) {
    try {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      awaiter.await(this::ready, deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QmpInterruptedException("waiting for " + name(), e);
    } finally {
      lock.lock();
      try {
        waiters.remove(Thread.currentThread());
      } finally {
        lock.unlock();
      }
    }
  }

  private boolean ready() {
    lock.lock();
    try {
      return !queue.isEmpty() || closed || disconnect != null;
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock: something a waiter waits for happened. */
  private void wakeWaiters() {
    for (Thread t : waiters) {
      LockSupport.unpark(t);
    }
  }

  /** The next queued event, if any, without waiting. */
  public Optional<QmpEvent> poll() {
    lock.lock();
    try {
      return Optional.ofNullable(queue.poll());
    } finally {
      lock.unlock();
    }
  }

  /** Removes and returns every queued event. */
  public List<QmpEvent> drain() {
    lock.lock();
    try {
      List<QmpEvent> out = new ArrayList<>(queue);
      queue.clear();
      return out;
    } finally {
      lock.unlock();
    }
  }

  /** How many matching events were dropped because the queue was full. */
  public long dropped() {
    lock.lock();
    try {
      return dropped;
    } finally {
      lock.unlock();
    }
  }

  /** Stops receiving events. Idempotent. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      wakeWaiters();
    } finally {
      lock.unlock();
    }
    onClose.accept(this);
  }

  /** Called by the reader thread for every event; never blocks. */
  void offer(QmpEvent e) {
    if (event != null && !event.equals(e.name())) {
      return;
    }
    if (!matches(e)) {
      return;
    }
    lock.lock();
    try {
      if (closed) {
        return;
      }
      if (queue.size() >= capacity) {
        dropped++;
        if (!overflowing) {
          overflowing = true;
          LOG.warn(
              "QMP event subscription {}: queue full ({} events), dropping {}",
              name(),
              capacity,
              e);
        }
        return;
      }
      overflowing = false;
      queue.add(e);
      wakeWaiters();
    } finally {
      lock.unlock();
    }
  }

  /** Called once when the connection ends. */
  void disconnected(QmpDisconnectedException cause) {
    lock.lock();
    try {
      disconnect = cause;
      wakeWaiters();
    } finally {
      lock.unlock();
    }
  }

  private boolean matches(QmpEvent e) {
    try {
      return filter.test(e);
    } catch (RuntimeException ex) {
      LOG.warn("QMP event subscription {}: filter failed on {}", name(), e, ex);
      return false;
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("event subscription " + name() + " is closed");
    }
    if (disconnect != null) {
      throw disconnect.forOperation("waiting for " + name());
    }
  }

  private String name() {
    return event == null ? "any" : event;
  }
}
