package org.vmm4j.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A thread waiting in {@link EventSubscription#next} on an empty queue waits through the session's
 * awaiter (which reads the socket meanwhile), never for an event already queued; an event, {@link
 * EventSubscription#close} or the end of the connection wakes it (the awaiter here only parks, so a
 * missing wake-up would leave it parked until its minute-long deadline).
 */
class EventWaiterTest {
  private static final Duration LONG = Duration.ofMinutes(1);

  private final AtomicInteger awaits = new AtomicInteger();
  private final AtomicInteger waiting = new AtomicInteger();
  private final EventSubscription sub =
      new EventSubscription("DEVICE_DELETED", e -> true, 8, s -> {}, this::park);

  private void park(java.util.function.BooleanSupplier ready, long deadline)
      throws InterruptedException {
    awaits.incrementAndGet();
    waiting.incrementAndGet();
    try {
      while (!ready.getAsBoolean() && deadline - System.nanoTime() > 0) {
        LockSupport.parkNanos(deadline - System.nanoTime());
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
      }
    } finally {
      waiting.decrementAndGet();
    }
  }

  private static QmpEvent event() {
    return new QmpEvent("DEVICE_DELETED", null, null);
  }

  private CompletableFuture<Object> waiter() {
    CompletableFuture<Object> got =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return sub.next(LONG);
              } catch (RuntimeException e) {
                return e;
              }
            });
    Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> waiting.get() == 1);
    return got;
  }

  @Test
  void aQueuedEventIsTakenWithoutWaiting() {
    sub.offer(event());
    assertThat(sub.next(Duration.ofSeconds(1)).name()).isEqualTo("DEVICE_DELETED");
    assertThat(awaits).hasValue(0);
  }

  @Test
  void anEventWakesTheWaiter() throws Exception {
    CompletableFuture<Object> got = waiter();
    sub.offer(event());
    assertThat(got.get(5, TimeUnit.SECONDS)).isInstanceOf(QmpEvent.class);
    assertThat(awaits).hasValue(1);
  }

  @Test
  void closeWakesTheWaiter() throws Exception {
    CompletableFuture<Object> got = waiter();
    sub.close();
    assertThat(got.get(5, TimeUnit.SECONDS))
        .isInstanceOf(IllegalStateException.class)
        .hasToString(
            "java.lang.IllegalStateException: event subscription DEVICE_DELETED is closed");
  }

  @Test
  void theEndOfTheConnectionWakesTheWaiter() throws Exception {
    CompletableFuture<Object> got = waiter();
    sub.disconnected(new QmpDisconnectedException("QMP x: QEMU closed the connection", null));
    assertThat(got.get(5, TimeUnit.SECONDS)).isInstanceOf(QmpDisconnectedException.class);
  }

  @Test
  void aTimedOutWaiterGetsTheEventTimeout() {
    assertThatThrownBy(() -> sub.next(Duration.ofMillis(20)))
        .isInstanceOf(QmpEventTimeoutException.class)
        .hasMessage("no DEVICE_DELETED event within 20 ms");
    assertThat(waiting).hasValue(0);
  }

  @Test
  void anInterruptedWaiterGetsAnInterruptedErrorAndKeepsItsFlag() {
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> sub.next(LONG)).isInstanceOf(QmpInterruptedException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
