package org.vmm4j.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.testing.qmp.FakeQmpServer;
import tools.jackson.databind.node.ObjectNode;

class QmpEventsTest {
  private static final String BACKEND_DELETED =
      "{\"path\":\"/machine/peripheral/blk0/virtio-backend\"}";
  private static final String BLK0_DELETED =
      "{\"device\":\"blk0\",\"path\":\"/machine/peripheral/blk0\"}";

  private FakeQmpServer fake;
  private QmpClient qmp;

  @BeforeEach
  void connect() {
    fake = FakeQmpServer.start().failOnUnexpectedCommands();
    qmp = QmpClient.connect(fake.socketPath(), TestClients.OPTIONS);
  }

  @AfterEach
  void close() {
    qmp.close();
    fake.close();
  }

  @Test
  void eventsCarryNameDataAndTimestamp() {
    try (EventSubscription all = qmp.subscribe(null, e -> true)) {
      fake.sendEvent("SHUTDOWN", "{\"guest\":true,\"reason\":\"guest-shutdown\"}");
      QmpEvent e = all.next(Duration.ofSeconds(5));
      assertThat(e.name()).isEqualTo("SHUTDOWN");
      assertThat(e.dataString("reason")).isEqualTo("guest-shutdown");
      assertThat(e.timestamp()).isAfter(Instant.now().minusSeconds(60));
    }
  }

  @Test
  void deviceDelWaitsForTheDevicesEventAndIgnoresTheBackendOne() {
    // QEMU's order for a virtio device: reply, backend path-only event, then the device's event.
    fake.on("device_del")
        .reply("{}")
        .event("DEVICE_DELETED", BACKEND_DELETED)
        .delay(Duration.ofMillis(100))
        .event("DEVICE_DELETED", BLK0_DELETED);
    try (EventSubscription all = qmp.subscribe("DEVICE_DELETED")) {
      qmp.deviceDel("blk0");
      // deviceDel returned only after the second event had arrived.
      assertThat(all.drain())
          .extracting(e -> e.dataString("path"))
          .containsExactly("/machine/peripheral/blk0/virtio-backend", "/machine/peripheral/blk0");
    }
    assertThat(fake.received("device_del").get(0).arg("id")).isEqualTo("blk0");
  }

  @Test
  void deviceDelSeesAnEventThatPrecedesTheReply() {
    fake.on("device_del").event("DEVICE_DELETED", BLK0_DELETED).reply("{}");
    qmp.deviceDel("blk0", Duration.ofSeconds(5));
  }

  @Test
  void deviceDelReadsTheEventOnItsOwnThread() {
    // The reply at once, the event later: the reader thread must not take the socket in between,
    // or QEMU's event would wake the reader thread, which would then wake the waiting caller.
    fake.on("device_del")
        .reply("{}")
        .delay(Duration.ofMillis(300))
        .event("DEVICE_DELETED", BLK0_DELETED);
    Set<Thread> readBy = ConcurrentHashMap.newKeySet();
    try (EventSubscription seen =
        qmp.subscribe("DEVICE_DELETED", e -> readBy.add(Thread.currentThread()))) {
      qmp.deviceDel("blk0");
    }
    assertThat(readBy).containsExactly(Thread.currentThread());
  }

  @Test
  void aThreadWaitingForAnEventOutsideDeviceDelLeavesTheSocketToTheReaderThread() {
    // A thread that waits for hours must not take from every caller the reading of its own reply.
    Set<String> readBy = ConcurrentHashMap.newKeySet();
    try (EventSubscription stops =
        qmp.subscribe("STOP", e -> readBy.add(Thread.currentThread().getName()))) {
      CompletableFuture<QmpEvent> got =
          CompletableFuture.supplyAsync(() -> stops.next(Duration.ofSeconds(30)));
      fake.sendEvent("STOP", null);
      assertThat(got.join().name()).isEqualTo("STOP");
    }
    assertThat(readBy).singleElement().asString().startsWith("qmp-reader ");
  }

  @Test
  void aCallWhileAnotherThreadWaitsForAnEventGetsItsReply() throws Exception {
    fake.on("device_del").reply("{}"); // no event: the other thread waits, reading the socket
    fake.on("echo").reply("{\"n\":1}");
    CompletableFuture<Throwable> deleting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                qmp.deviceDel("blk0", Duration.ofSeconds(2));
                return null;
              } catch (RuntimeException e) {
                return e;
              }
            });
    fake.awaitCommand("device_del", Duration.ofSeconds(5));
    Thread.sleep(50);
    assertThat(qmp.call(Execute.of("echo")).path("n").asInt()).isEqualTo(1);
    assertThat(deleting.get(10, TimeUnit.SECONDS)).isInstanceOf(QmpEventTimeoutException.class);
  }

  @Test
  void anInterruptedEventWaiterKeepsTheConnection() throws Exception {
    fake.on("device_del").reply("{}"); // no event
    fake.on("echo").reply("{\"n\":2}");
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    Thread deleting =
        new Thread(
            () -> {
              try {
                qmp.deviceDel("blk0", Duration.ofSeconds(30));
                failure.complete(null);
              } catch (QmpInterruptedException e) {
                failure.complete(Thread.currentThread().isInterrupted() ? e : null);
              } catch (RuntimeException e) {
                failure.complete(e);
              }
            });
    deleting.start();
    fake.awaitCommand("device_del", Duration.ofSeconds(5));
    Thread.sleep(50); // waiting for the event now, reading the socket
    deleting.interrupt();
    assertThat(failure.get(5, TimeUnit.SECONDS)).isInstanceOf(QmpInterruptedException.class);
    assertThat(qmp.isConnected()).isTrue();
    assertThat(qmp.call(Execute.of("echo")).path("n").asInt()).isEqualTo(2);
  }

  @Test
  void deviceDelWithoutEventIsADistinctTimeout() {
    fake.on("device_del").replyThenEvent("{}", "DEVICE_DELETED", BACKEND_DELETED);
    fake.on("device_del", c -> "other".equals(c.arg("id")))
        .replyThenEvent("{}", "DEVICE_DELETED", "{\"device\":\"other\"}");
    assertThatThrownBy(() -> qmp.deviceDel("blk0", Duration.ofMillis(300)))
        .isInstanceOfSatisfying(
            QmpEventTimeoutException.class,
            e -> {
              assertThat(e.event()).isEqualTo("DEVICE_DELETED");
              assertThat(e.timeout()).isEqualTo(Duration.ofMillis(300));
            })
        .hasMessage(
            "device_del id=blk0: QEMU accepted it but sent no DEVICE_DELETED within 300 ms"
                + " (the guest did not release the device; check qom-list /machine/peripheral)");
    // Another device's event does not satisfy the wait either.
    assertThatThrownBy(() -> qmp.deviceDel("blk0", Duration.ofMillis(100)))
        .isInstanceOf(QmpEventTimeoutException.class);
    qmp.deviceDel("other", Duration.ofSeconds(5));
  }

  @Test
  void deviceDelOfAnUnknownDeviceIsTheCommandError() {
    fake.on("device_del").error("DeviceNotFound", "Device 'nope' not found");
    assertThatThrownBy(() -> qmp.deviceDel("nope"))
        .isInstanceOfSatisfying(
            QmpCommandException.class,
            e -> assertThat(e.errorClass()).isEqualTo(QmpErrorClass.DEVICE_NOT_FOUND));
  }

  @Test
  void aSubscriberThatNeverReadsDoesNotBlockTheReader() {
    fake.on("flood")
        .answer(
            c -> {
              for (int i = 0; i < 100; i++) {
                fake.sendEvent("BALLOON_CHANGE", "{\"actual\":" + i + "}");
              }
              return FakeQmpServer.json("{}");
            });
    fake.on("ok").reply("{\"ok\":true}");
    try (EventSubscription lazy = qmp.subscribe("BALLOON_CHANGE", e -> true, 10);
        EventSubscription reader = qmp.subscribe("BALLOON_CHANGE", e -> true, 1000)) {
      qmp.call(Execute.of("flood"));
      assertThat(qmp.call(Execute.of("ok")).path("ok").asBoolean()).isTrue();
      await().atMost(Duration.ofSeconds(5)).until(() -> lazy.dropped() == 90);
      assertThat(lazy.drain()).hasSize(10);
      // The reader's own subscription got all 100 events in order.
      assertThat(reader.drain())
          .extracting(e -> e.data().path("actual").asInt())
          .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 100).boxed().toList());
    }
  }

  @Test
  void aWaitingSubscriberLearnsOfADisconnectAtOnce() throws Exception {
    try (EventSubscription never = qmp.subscribe("NEVER")) {
      CompletableFuture<Throwable> waiter =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  never.next(Duration.ofSeconds(30));
                  return null;
                } catch (RuntimeException e) {
                  return e;
                }
              });
      Thread.sleep(100);
      fake.disconnectClient();
      assertThat(waiter.get(5, TimeUnit.SECONDS))
          .isInstanceOf(QmpDisconnectedException.class)
          .hasMessageStartingWith("waiting for NEVER: ");
    }
  }

  @Test
  void queuedEventsAreStillDeliveredAfterADisconnect() throws Exception {
    try (EventSubscription stops = qmp.subscribe("STOP")) {
      fake.sendEvent("STOP", null);
      fake.disconnectClient();
      qmp.disconnected().get(5, TimeUnit.SECONDS);
      assertThat(stops.next(Duration.ofSeconds(1)).name()).isEqualTo("STOP");
      assertThatThrownBy(() -> stops.next(Duration.ofSeconds(1)))
          .isInstanceOf(QmpDisconnectedException.class);
    }
  }

  @Test
  void aClosedSubscriptionReceivesNothing() {
    EventSubscription s = qmp.subscribe("STOP");
    s.close();
    fake.sendEvent("STOP", null);
    assertThatThrownBy(() -> s.next(Duration.ofMillis(100)))
        .isInstanceOf(IllegalStateException.class);
    assertThat(s.poll()).isEmpty();
  }

  @Test
  void aFailingFilterIsTreatedAsNoMatch() {
    try (EventSubscription bad = qmp.subscribe("STOP", e -> e.data().get("missing").asBoolean());
        EventSubscription good = qmp.subscribe("STOP")) {
      fake.sendEvent("STOP", null);
      assertThat(good.next(Duration.ofSeconds(5)).name()).isEqualTo("STOP");
      assertThat(bad.poll()).isEmpty();
    }
  }

  @Test
  void theFakesDeviceModelScriptsAWholeHotplugSequence() {
    fake.emulateDevices();
    ObjectNode props = Json.object().put("bus", "rp0");
    qmp.call(new DeviceAdd("virtio-blk-pci", "blk0", props));
    assertThatThrownBy(() -> qmp.call(new DeviceAdd("virtio-blk-pci", "blk0", props)))
        .isInstanceOf(QmpCommandException.class)
        .hasMessageContaining("Duplicate device ID 'blk0'");
    assertThat(qmp.call(new QomList(QomList.PERIPHERAL)))
        .contains(new QomProperty("blk0", "child<virtio-blk-pci>", null, null));
    qmp.deviceDel("blk0");
    assertThat(qmp.call(new QomList(QomList.PERIPHERAL)))
        .extracting(QomProperty::name)
        .containsExactly("type");
    assertThatThrownBy(() -> qmp.deviceDel("blk0"))
        .isInstanceOfSatisfying(
            QmpCommandException.class,
            e -> assertThat(e.errorClass()).isEqualTo(QmpErrorClass.DEVICE_NOT_FOUND));
  }
}
