package org.vmm4j.qmp;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events of one name (or all) that pass a filter, queued from the moment of {@link
 * QmpClient#subscribe}: subscribe <em>before</em> sending the command whose event you expect
 * ({@code RESUME}, {@code STOP} and {@code DEVICE_DELETED} can precede the reply).
 *
 * <p>The reader thread never blocks on a subscriber: when the bounded queue is full, new events are
 * dropped, counted in {@link #dropped()} and logged as a warning. The filter runs on the reader
 * thread and must be cheap. When the connection ends, queued events are still returned, then {@link
 * #next} throws {@link QmpDisconnectedException}. Thread-safe; close it when done.
 */
public final class EventSubscription implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventSubscription.class);

  private final String event;
  private final Predicate<QmpEvent> filter;
  private final int capacity;
  private final Consumer<EventSubscription> onClose;
  private final Runnable waitStarted;
  private final Runnable waitEnded;
  private final ArrayDeque<QmpEvent> queue = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private long dropped;
  private boolean overflowing;
  private boolean closed;
  private QmpDisconnectedException disconnect;

  /**
   * {@code waitStarted} runs when {@link #next} starts waiting on an empty queue ({@code waitEnded}
   * when it stops), so that the session has the reader thread read at once.
   */
  EventSubscription(
      String event,
      Predicate<QmpEvent> filter,
      int capacity,
      Consumer<EventSubscription> onClose,
      Runnable waitStarted,
      Runnable waitEnded) {
    this.waitStarted = waitStarted;
    this.waitEnded = waitEnded;
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
    long nanos = timeout.toNanos();
    boolean waiting = false;
    lock.lock();
    try {
      while (queue.isEmpty()) {
        checkOpen();
        if (nanos <= 0) {
          throw new QmpEventTimeoutException(
              "no " + name() + " event within " + Durations.format(timeout), name(), timeout);
        }
        if (!waiting) {
          waiting = true;
          waitStarted.run();
        }
        nanos = changed.awaitNanos(nanos);
      }
      return queue.poll();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QmpInterruptedException("waiting for " + name(), e);
    } finally {
      lock.unlock();
      if (waiting) {
        waitEnded.run();
      }
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
      changed.signalAll();
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
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Called once when the connection ends. */
  void disconnected(QmpDisconnectedException cause) {
    lock.lock();
    try {
      disconnect = cause;
      changed.signalAll();
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
