package org.vmm4j.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.testing.qmp.FakeQmpServer;
import org.vmm4j.testing.qmp.ReceivedQmpCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Replies reach the caller whose id they carry: never another one, also after a timeout. */
class QmpClientRoutingTest {
  private FakeQmpServer fake;
  private QmpClient qmp;

  @BeforeEach
  void connect() {
    fake = FakeQmpServer.start().failOnUnexpectedCommands();
    fake.on("echo").answer(c -> c.arguments());
    qmp = QmpClient.connect(fake.socketPath(), TestClients.OPTIONS);
  }

  @AfterEach
  void close() {
    qmp.close();
    fake.close();
  }

  private static ObjectNode n(int i) {
    return Json.object().put("n", i);
  }

  @Test
  void sendsCompactLinesWithShortSequentialIds() {
    fake.on("query-status").reply(Golden.returned("query-status.json"));
    fake.on("device_add");
    qmp.call(new QueryStatus());
    qmp.call(
        new DeviceAdd(
            "virtio-blk-pci", "blk0", Json.object().put("bus", "rp0").put("drive", "null0")));
    assertThat(fake.received())
        .extracting(ReceivedQmpCommand::line)
        .containsExactly(
            "{\"execute\":\"qmp_capabilities\",\"id\":1}",
            "{\"execute\":\"query-status\",\"id\":2}",
            "{\"execute\":\"device_add\",\"arguments\":{\"driver\":\"virtio-blk-pci\",\"id\":\"blk0\","
                + "\"bus\":\"rp0\",\"drive\":\"null0\"},\"id\":3}");
  }

  @Test
  void anEventBetweenACommandAndItsReplyGoesToSubscribersNotToTheCaller() {
    fake.on("cont").eventThenReply("RESUME", null, "{}");
    fake.on("query-status")
        .eventThenReply("STOP", null, "{\"status\":\"paused\",\"running\":false}");
    try (EventSubscription resume = qmp.subscribe("RESUME")) {
      qmp.call(new Cont());
      assertThat(resume.next(Duration.ofSeconds(10)).name()).isEqualTo("RESUME");
    }
    assertThat(qmp.call(new QueryStatus())).isEqualTo(new StatusInfo("paused", false));
  }

  @Test
  void aReplyWithAnUnknownIdIsDroppedAndTheConnectionGoesOn() {
    fake.on("query-status")
        .replyWithId("4242", "{\"status\":\"wrong\",\"running\":false}")
        .reply("{\"status\":\"running\",\"running\":true}");
    assertThat(qmp.call(new QueryStatus()).status()).isEqualTo("running");
    assertThat(qmp.call(new Execute("echo", n(1)))).isEqualTo(n(1));
  }

  @Test
  void aLateReplyToATimedOutCommandIsDroppedNotGivenToTheNextCaller() {
    fake.on("echo", c -> c.arguments().path("n").asInt() == 1)
        .delay(Duration.ofMillis(400))
        .answer(c -> c.arguments());
    assertThatThrownBy(() -> qmp.call(new Execute("echo", n(1)), Duration.ofMillis(100)))
        .isInstanceOf(QmpTimeoutException.class)
        .hasMessage("echo n=1: no reply within 100 ms");
    // The fake answers n=1 late, then n=2: the caller of n=2 must get n=2.
    assertThat(qmp.call(new Execute("echo", n(2)))).isEqualTo(n(2));
    assertThat(qmp.call(new Execute("echo", n(3)))).isEqualTo(n(3));
  }

  @Test
  void sixteenThreadsAtOnceEachGetTheirOwnReply() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<List<String>>> results = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      int thread = t;
      results.add(
          pool.submit(
              () -> {
                start.await();
                List<String> mismatches = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                  int v = thread * 1000 + i;
                  JsonNode r = qmp.call(new Execute("echo", n(v)));
                  if (r.path("n").asInt() != v) {
                    mismatches.add(v + " got " + r);
                  }
                }
                return mismatches;
              }));
    }
    start.countDown();
    for (Future<List<String>> f : results) {
      assertThat(f.get(30, TimeUnit.SECONDS)).isEmpty();
    }
    pool.shutdown();
    assertThat(fake.received("echo")).hasSize(16 * 50);
  }

  @Test
  void asyncCallsCompleteOffTheReaderThreadAndTimeOut() throws Exception {
    fake.on("slow").delay(Duration.ofMillis(300)).reply("{}");
    CompletableFuture<String> thread =
        qmp.callAsync(new Execute("echo", n(7)))
            .thenApply(r -> r.path("n").asInt() + " " + Thread.currentThread().getName());
    assertThat(thread.get(5, TimeUnit.SECONDS)).startsWith("7 ").doesNotContain("qmp-reader");

    CompletableFuture<JsonNode> slow = qmp.callAsync(Execute.of("slow"), Duration.ofMillis(50));
    assertThatThrownBy(() -> slow.get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(QmpTimeoutException.class)
        .hasMessageContaining("slow: no reply within 50 ms");
    assertThat(qmp.call(new Execute("echo", n(8)))).isEqualTo(n(8));
  }

  @Test
  void aRejectedCommandKeepsClassDescAndCommand() {
    fake.on("device_add")
        .raw(Golden.line("error-device-add.json").replace("\"id\": 16", "\"id\": 2"));
    DeviceAdd add =
        new DeviceAdd(
            "virtio-blk-pci", "blk9", Json.object().put("drive", "null0").put("bus", "pcie.0"));
    assertThatThrownBy(() -> qmp.call(add))
        .isInstanceOfSatisfying(
            QmpCommandException.class,
            e -> {
              assertThat(e.errorClass()).isEqualTo(QmpErrorClass.GENERIC_ERROR);
              assertThat(e.desc()).isEqualTo("Bus 'pcie.0' does not support hotplugging");
              assertThat(e.command()).isEqualTo(add);
            })
        .hasMessage(
            "device_add driver=virtio-blk-pci id=blk9 drive=null0 bus=pcie.0:"
                + " Bus 'pcie.0' does not support hotplugging (GenericError)");
  }

  @Test
  void unknownErrorClassesAreKept() {
    fake.on("x").error("SomeFutureClass", "new");
    assertThatThrownBy(() -> qmp.call(Execute.of("x")))
        .isInstanceOfSatisfying(
            QmpCommandException.class,
            e -> {
              assertThat(e.errorClass()).isEqualTo(QmpErrorClass.OTHER);
              assertThat(e.errorClassName()).isEqualTo("SomeFutureClass");
            });
  }

  @Test
  void aReplyOfTheWrongShapeIsAProtocolErrorForThatCallOnly() {
    fake.on("query-pci").reply("{\"not\":\"a list\"}");
    assertThatThrownBy(() -> qmp.call(new QueryPci()))
        .isInstanceOf(QmpProtocolException.class)
        .hasMessageStartingWith("query-pci: unexpected reply");
    assertThat(qmp.isConnected()).isTrue();
  }

  @Test
  void anInterruptedCallerGetsAnInterruptedErrorAndKeepsItsFlag() throws Exception {
    fake.on("hang").noReply();
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                qmp.call(Execute.of("hang"), Duration.ofSeconds(30));
                failure.complete(null);
              } catch (QmpInterruptedException e) {
                failure.complete(Thread.currentThread().isInterrupted() ? e : null);
              }
            });
    caller.start();
    fake.awaitCommand("hang", Duration.ofSeconds(5));
    caller.interrupt();
    assertThat(failure.get(5, TimeUnit.SECONDS))
        .isInstanceOf(QmpInterruptedException.class)
        .hasMessage("hang: interrupted while waiting");
    assertThat(qmp.call(new Execute("echo", n(9)))).isEqualTo(n(9));
  }

  @Test
  void textIsUtf8BothWays() {
    ObjectNode args = Json.object().put("text", "é ✓ 漢字 😀");
    assertThat(qmp.call(new Execute("echo", args))).isEqualTo(args);
    assertThat(fake.received("echo").get(0).line()).contains("é ✓ 漢字 😀");
    fake.on("fail").error("GenericError", "Gerät «x» nicht gefunden");
    assertThatThrownBy(() -> qmp.call(Execute.of("fail")))
        .hasMessage("fail: Gerät «x» nicht gefunden (GenericError)");
  }
}
