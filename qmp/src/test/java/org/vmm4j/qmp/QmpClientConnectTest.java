package org.vmm4j.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.testing.qmp.FakeQmpServer;
import org.vmm4j.testing.qmp.FullBacklogSocket;

class QmpClientConnectTest {
  /** For connects that are expected to fail by timing out. */
  private static final QmpOptions FAST =
      QmpOptions.defaults().withConnectTimeout(Duration.ofMillis(500));

  private static final QmpOptions OK = TestClients.OPTIONS;

  /** Far beyond any deadline here: a connect still blocked then hangs. */
  private static final Duration HANG = Duration.ofSeconds(30);

  @Test
  void negotiatesAndRecordsTheGreeting() throws Exception {
    String greeting = Files.readString(Golden.path("greeting.json"));
    try (FakeQmpServer fake = FakeQmpServer.start().greeting(greeting).failOnUnexpectedCommands();
        QmpClient qmp = QmpClient.connect(fake.socketPath(), TestClients.OPTIONS)) {
      assertThat(qmp.version())
          .isEqualTo(new QemuVersion(7, 2, 22, "Debian 1:7.2+dfsg-7+deb12u18+b3"));
      assertThat(qmp.greeting().capabilities()).containsExactly("oob");
      assertThat(qmp.oobEnabled()).isFalse();
      assertThat(fake.received())
          .singleElement()
          .satisfies(
              c -> assertThat(c.line()).isEqualTo("{\"execute\":\"qmp_capabilities\",\"id\":1}"));
      assertThat(qmp.isConnected()).isTrue();
    }
  }

  @Test
  void skipsEventsSentBeforeTheGreeting() {
    try (FakeQmpServer fake =
            FakeQmpServer.start()
                .eventBeforeGreeting("VSERPORT_CHANGE", "{\"id\":\"channel0\",\"open\":true}")
                .eventBeforeGreeting("RESUME", null);
        QmpClient qmp = QmpClient.connect(fake.socketPath(), OK)) {
      fake.on("query-status")
          .reply("{\"status\":\"running\",\"singlestep\":false,\"running\":true}");
      assertThat(qmp.call(new QueryStatus())).isEqualTo(new StatusInfo("running", true));
    }
  }

  @Test
  void negotiatesOobOnlyWhenAskedAndOffered() {
    try (FakeQmpServer fake = FakeQmpServer.start();
        QmpClient qmp = QmpClient.connect(fake.socketPath(), OK.withOob(true))) {
      assertThat(qmp.oobEnabled()).isTrue();
      assertThat(fake.received().get(0).line())
          .isEqualTo(
              "{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[\"oob\"]},\"id\":1}");
    }
    String noOob =
        "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 0, \"major\": 5},"
            + " \"package\": \"\"}, \"capabilities\": []}}";
    try (FakeQmpServer fake = FakeQmpServer.start().greeting(noOob);
        QmpClient qmp = QmpClient.connect(fake.socketPath(), OK.withOob(true))) {
      assertThat(qmp.oobEnabled()).isFalse();
      assertThat(fake.received().get(0).arguments().isEmpty()).isTrue();
    }
  }

  @Test
  void aSecondClientGetsNoGreetingAndIsToldWhy() {
    try (FakeQmpServer fake = FakeQmpServer.start();
        QmpClient first = QmpClient.connect(fake.socketPath(), OK)) {
      assertThatThrownBy(() -> QmpClient.connect(fake.socketPath(), FAST))
          .isInstanceOf(QmpTimeoutException.class)
          .hasMessageContaining("connect QMP " + fake.socketPath())
          .hasMessageContaining("no greeting within 500 ms")
          .hasMessageContaining("another client probably holds the socket");
      assertThat(first.isConnected()).isTrue();
    }
  }

  @Test
  void aGreetingWhoseFirstBytesCameInTimeIsServedHoweverLateItEnds() {
    // QEMU greets only the client it serves: its first byte decides, not when the line was parsed
    try (FakeQmpServer fake =
            FakeQmpServer.start()
                .splitGreeting(1, Duration.ofMillis(1500))
                .failOnUnexpectedCommands();
        QmpClient qmp = QmpClient.connect(fake.socketPath(), FAST)) {
      assertThat(qmp.version().major()).isEqualTo(7);
      assertThat(fake.commandNames()).containsExactly("qmp_capabilities");
    }
  }

  @Test
  void whatArrivedBeforeTheDeadlineCountsThoughThisThreadLooksLate() throws Exception {
    // the connecting thread got no CPU until after its deadline: the greeting had arrived
    try (FakeQmpServer fake = FakeQmpServer.start()) {
      org.vmm4j.qmp.transport.UnixSocketTransport t =
          org.vmm4j.qmp.transport.UnixSocketTransport.connect(
              fake.socketPath(), Duration.ofSeconds(5));
      await().atMost(Duration.ofSeconds(10)).until(() -> t.input().available() > 0);
      Session s = new Session(t, OK);
      try {
        Handshake.awaitServed(s, System.nanoTime() - 1, Duration.ofMillis(1));
        assertThat(Handshake.awaitGreeting(s, Duration.ofSeconds(5), System.nanoTime()).version())
            .isEqualTo(new QemuVersion(7, 2, 0, "fake"));
      } finally {
        s.close();
      }
    }
  }

  @Test
  void aFullListenBacklogFailsTheConnectAtItsDeadline(@TempDir Path dir) throws Exception {
    // A stopped QEMU after two clients gave up: a blocking connect(2) would wait for ever.
    Path sock = dir.resolve("qmp.sock");
    try (FullBacklogSocket stopped = FullBacklogSocket.at(sock)) {
      assertThat(FullBacklogSocket.isFull(sock)).as("the backlog is full").isTrue();
      assertTimeoutPreemptively(
          HANG,
          () ->
              assertThatThrownBy(() -> QmpClient.connect(sock, FAST))
                  .isInstanceOf(QmpConnectTimeoutException.class)
                  .hasMessage(
                      "connect QMP "
                          + sock
                          + ": QEMU did not accept the connection within 500 ms (its listen"
                          + " backlog is full: is QEMU stopped, or are other clients waiting?)"),
          "connect to a socket whose listen backlog is full returned");
      // as often as it is tried: a failed connect leaves nothing in the backlog
      assertTimeoutPreemptively(
          HANG,
          () ->
              assertThatThrownBy(() -> QmpClient.connect(sock, FAST))
                  .isInstanceOf(QmpConnectTimeoutException.class),
          "a second connect returned");
    }
  }

  @Test
  void nothingListeningIsAConnectionError(@TempDir Path dir) {
    Path missing = dir.resolve("absent.sock");
    assertThatThrownBy(() -> QmpClient.connect(missing, FAST))
        .isInstanceOf(QmpConnectionException.class)
        .hasMessageStartingWith("connect QMP " + missing + ": ");
  }

  @Test
  void hangupBeforeTheGreetingIsAConnectionError() {
    try (FakeQmpServer fake = FakeQmpServer.start().noGreeting()) {
      CompletableFuture.runAsync(
          () -> {
            await().atMost(Duration.ofSeconds(5)).until(() -> fake.connections() > 0);
            fake.disconnectClient();
          });
      assertThatThrownBy(() -> QmpClient.connect(fake.socketPath(), OK))
          .isInstanceOf(QmpConnectionException.class)
          .hasMessage("connect QMP " + fake.socketPath() + ": QEMU closed the connection");
    }
  }

  @Test
  void refusedNegotiationIsAFailedConnectionNotACommandError() {
    // no command of the caller's was refused: the connection could not be made
    try (FakeQmpServer fake = FakeQmpServer.start()) {
      fake.on("qmp_capabilities").error("GenericError", "no thanks");
      assertThatThrownBy(() -> QmpClient.connect(fake.socketPath(), OK))
          .isExactlyInstanceOf(QmpConnectionException.class)
          .hasMessage(
              "connect QMP "
                  + fake.socketPath()
                  + ": QEMU refused qmp_capabilities: no thanks (GenericError)")
          .cause()
          .isInstanceOf(QmpCommandException.class);
    }
  }

  @Test
  void reportsThePidAtTheOtherEnd() {
    try (FakeQmpServer fake = FakeQmpServer.start();
        QmpClient qmp = QmpClient.connect(fake.socketPath(), OK)) {
      // The fake runs in this JVM, so SO_PEERCRED names this process.
      assertThat(qmp.peerPid()).hasValue(ProcessHandle.current().pid());
      assertThat(qmp.socket()).isEqualTo(fake.socketPath());
    }
  }

  @Test
  void connectWhenListeningWaitsForTheSocketToAppear(@TempDir Path dir) throws Exception {
    Path later = dir.resolve("later.sock");
    CompletableFuture<FakeQmpServer> server =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                Thread.sleep(200);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
              return FakeQmpServer.start(later);
            });
    try (QmpClient qmp =
        QmpClient.connectWhenListening(later, OK, Duration.ofSeconds(30), () -> true)) {
      assertThat(qmp.isConnected()).isTrue();
    } finally {
      server.get().close();
    }
    // Without patience, or when told to stop trying, it fails as connect does.
    Path never = dir.resolve("never.sock");
    assertThatThrownBy(
            () -> QmpClient.connectWhenListening(never, OK, Duration.ofSeconds(30), () -> false))
        .isInstanceOf(QmpConnectionException.class)
        .hasMessageContaining("No such file or directory");
    assertThatThrownBy(
            () -> QmpClient.connectWhenListening(never, OK, Duration.ofMillis(50), () -> true))
        .isInstanceOf(QmpConnectionException.class);
  }
}
