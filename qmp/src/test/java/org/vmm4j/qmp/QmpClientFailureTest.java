package org.vmm4j.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.testing.qmp.FakeQmpServer;
import tools.jackson.databind.JsonNode;

/** The connection ends cleanly, at once, with a reason, whatever QEMU does. */
class QmpClientFailureTest {
  private FakeQmpServer fake;
  private QmpClient qmp;

  @BeforeEach
  void connect() {
    fake = FakeQmpServer.start();
    qmp = QmpClient.connect(fake.socketPath(), TestClients.OPTIONS);
  }

  @AfterEach
  void close() {
    qmp.close();
    fake.close();
  }

  private QmpDisconnectedException disconnectReason() throws Exception {
    return qmp.disconnected().get(5, TimeUnit.SECONDS);
  }

  @Test
  void aDisconnectFailsTenPendingCallsAtOnce() throws Exception {
    // The fake handles one command at a time: the first hangs, nine queue behind it unread.
    fake.on("hang").delay(Duration.ofSeconds(60)).reply("{}");
    fake.on("other").reply("{}");
    List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
    calls.add(qmp.callAsync(Execute.of("hang"), Duration.ofSeconds(30)));
    for (int i = 0; i < 9; i++) {
      calls.add(qmp.callAsync(Execute.of("other"), Duration.ofSeconds(30)));
    }
    fake.awaitCommand("hang", Duration.ofSeconds(5));
    fake.disconnectClient();
    for (CompletableFuture<JsonNode> c : calls) {
      assertThatThrownBy(() -> c.get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(QmpDisconnectedException.class)
          .hasMessageContaining(": QMP " + fake.socketPath() + ": ");
    }
    // All ten failed with the disconnect (get waited at most 5 s of their 30 s deadlines).
    // The fake closed with unread commands in its buffer: the kernel reports a reset, not an EOF.
    assertThat(disconnectReason().getMessage())
        .containsAnyOf("QEMU closed the connection", "connection lost (Connection reset by peer)");
    assertThat(qmp.isConnected()).isFalse();
    assertThatThrownBy(() -> qmp.call(new QueryStatus()))
        .isInstanceOf(QmpDisconnectedException.class)
        .hasMessageStartingWith("query-status: QMP " + fake.socketPath());
  }

  @Test
  void anErrorWithoutIdFailsTheConnection() throws Exception {
    fake.on("query-status").errorWithoutId("GenericError", "JSON parse error, expecting value");
    assertThatThrownBy(() -> qmp.call(new QueryStatus()))
        .isInstanceOf(QmpDisconnectedException.class)
        .hasMessageContaining("QEMU could not parse a command (error without id)")
        .hasRootCauseInstanceOf(QmpProtocolException.class);
    assertThat(disconnectReason().getCause()).isInstanceOf(QmpProtocolException.class);
  }

  @Test
  void aReplyWithoutIdFailsTheConnection() throws Exception {
    fake.on("query-status").replyWithoutId("{\"status\":\"running\",\"running\":true}");
    assertThatThrownBy(() -> qmp.call(new QueryStatus()))
        .isInstanceOf(QmpDisconnectedException.class)
        .hasMessageContaining("a reply without id");
  }

  @Test
  void malformedJsonFailsTheConnection() throws Exception {
    fake.on("query-status").raw("{\"return\": {\"status\": \"runn");
    assertThatThrownBy(() -> qmp.call(new QueryStatus()))
        .isInstanceOf(QmpDisconnectedException.class)
        .hasMessageContaining("not a QMP message")
        .hasMessageContaining("{\"return\": {\"status\": \"runn");
  }

  @Test
  void garbageFailsTheConnection() throws Exception {
    fake.on("query-status").raw("hello, I am not QEMU");
    assertThatThrownBy(() -> qmp.call(new QueryStatus()))
        .isInstanceOf(QmpDisconnectedException.class)
        .hasMessageContaining("hello, I am not QEMU");
  }

  @Test
  void aReplyWithBothReturnAndErrorFailsTheConnection() throws Exception {
    // QMP: a reply has exactly one of them; taking either would guess what QEMU did
    fake.on("query-status")
        .raw(
            "{\"return\": {\"status\": \"running\", \"running\": true},"
                + " \"error\": {\"class\": \"GenericError\", \"desc\": \"no\"}, \"id\": 2}");
    assertThatThrownBy(() -> qmp.call(new QueryStatus()))
        .isInstanceOf(QmpDisconnectedException.class)
        .hasMessageContaining("not a QMP message (a reply with both \"return\" and \"error\")")
        .hasRootCauseInstanceOf(IllegalArgumentException.class);
    assertThat(disconnectReason().getCause()).isInstanceOf(QmpProtocolException.class);
  }

  @Test
  void aSecondGreetingFailsTheConnection() throws Exception {
    fake.sendRaw(
        "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7},"
            + " \"package\": \"\"}, \"capabilities\": []}}");
    assertThat(disconnectReason().getMessage())
        .isEqualTo(
            "QMP "
                + fake.socketPath()
                + ": closed on a protocol error: a second greeting: {\"QMP\": {\"version\":"
                + " {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, \"package\": \"\"},"
                + " \"capabilities\": []}}");
  }

  @Test
  void aTwentyMegabyteReplyIsAProtocolErrorNotAnOutOfMemoryError() throws Exception {
    fake.on("query-qmp-schema").hugeReply(20 * 1024 * 1024);
    assertThatThrownBy(() -> qmp.call(Execute.of("query-qmp-schema"), Duration.ofSeconds(30)))
        .isInstanceOf(QmpDisconnectedException.class)
        .hasMessageContaining("message longer than 16777216 bytes")
        .cause()
        .isInstanceOf(QmpProtocolException.class);
  }

  @Test
  void aReplyUnderTheLimitArrivesWhole() {
    fake.on("query-qmp-schema").hugeReply(10 * 1024 * 1024);
    JsonNode big = qmp.call(Execute.of("query-qmp-schema"), Duration.ofSeconds(30));
    assertThat(big.stringValue().length()).isGreaterThan(10 * 1024 * 1024 - 100);
  }

  @Test
  void theLimitIsConfigurable() {
    fake.close();
    qmp.close();
    fake = FakeQmpServer.start();
    qmp = QmpClient.connect(fake.socketPath(), QmpOptions.defaults().withMaxMessageBytes(4096));
    fake.on("big").hugeReply(5000);
    assertThatThrownBy(() -> qmp.call(Execute.of("big")))
        .hasMessageContaining("longer than 4096 bytes");
  }

  @Test
  void eofWhileQuitIsInFlightIsSuccess() throws Exception {
    fake.on("quit")
        .event("SHUTDOWN", "{\"guest\":false,\"reason\":\"host-qmp-quit\"}")
        .disconnect();
    qmp.quit();
    assertThat(disconnectReason()).hasMessageContaining("QEMU closed the connection after quit");
  }

  @Test
  void quitWithItsReplyBeforeTheEofIsSuccessToo() throws Exception {
    fake.on("quit").reply("{}").disconnect();
    qmp.quit();
    disconnectReason();
  }

  @Test
  void closeFailsPendingCallsAndCompletesTheDisconnectFuture() throws Exception {
    fake.on("hang").noReply();
    CompletableFuture<JsonNode> pending = qmp.callAsync(Execute.of("hang"), Duration.ofSeconds(30));
    fake.awaitCommand("hang", Duration.ofSeconds(5));
    qmp.close();
    assertThatThrownBy(() -> pending.get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(QmpDisconnectedException.class)
        .hasMessageContaining("closed by the client");
    assertThat(disconnectReason()).hasMessageContaining("closed by the client");
    qmp.close(); // idempotent
  }

  @Test
  void aCommandWithoutReplyTimesOutAndTheConnectionStaysUsable() {
    fake.on("hang").noReply();
    fake.on("ok").reply("{\"fine\":true}");
    assertThatThrownBy(() -> qmp.call(Execute.of("hang"), Duration.ofMillis(200)))
        .isInstanceOf(QmpTimeoutException.class);
    assertThat(qmp.call(Execute.of("ok")).path("fine").asBoolean()).isTrue();
  }

  @Test
  void aDeviceDelWithoutReplyTimesOutAtItsCommandDeadlineNotTheEventDeadline() {
    fake.on("device_del").noReply();
    assertThatThrownBy(() -> qmp.deviceDel("d1", Duration.ofMillis(200), Duration.ofSeconds(30)))
        .isInstanceOf(QmpTimeoutException.class)
        .isNotInstanceOf(QmpEventTimeoutException.class)
        .hasMessageContaining("device_del id=d1: no reply within 200 ms");
  }
}
