package org.vmm4j.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A thread waiting in {@link EventSubscription#next} tells the session (which then has the reader
 * thread read at once instead of leaving the socket to callers for a while): the hooks run when it
 * starts waiting on an empty queue and when it stops, never for an event already queued.
 */
class EventWaiterTest {
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicInteger started = new AtomicInteger();
  private final EventSubscription sub =
      new EventSubscription(
          "DEVICE_DELETED",
          e -> true,
          8,
          s -> {},
          () -> {
            started.incrementAndGet();
            waiting.incrementAndGet();
          },
          waiting::decrementAndGet);

  private static QmpEvent event() {
    return new QmpEvent("DEVICE_DELETED", null, null);
  }

  @Test
  void aQueuedEventIsTakenWithoutWaiting() {
    sub.offer(event());
    assertThat(sub.next(Duration.ofSeconds(1)).name()).isEqualTo("DEVICE_DELETED");
    assertThat(started).hasValue(0);
  }

  @Test
  void aWaiterIsCountedWhileItWaits() throws Exception {
    CompletableFuture<QmpEvent> got =
        CompletableFuture.supplyAsync(() -> sub.next(Duration.ofSeconds(10)));
    Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> waiting.get() == 1);
    sub.offer(event());
    assertThat(got.get(5, TimeUnit.SECONDS).name()).isEqualTo("DEVICE_DELETED");
    assertThat(waiting).hasValue(0);
    assertThat(started).hasValue(1);
  }

  @Test
  void aTimedOutWaiterIsUncounted() {
    assertThatThrownBy(() -> sub.next(Duration.ofMillis(20)))
        .isInstanceOf(QmpEventTimeoutException.class);
    assertThat(waiting).hasValue(0);
    assertThat(started).hasValue(1);
  }
}
