package org.vmm4j.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.testing.qmp.FakeQmpServer;

/**
 * {@link QmpClient#connectFirst}: two sockets of one QEMU, each serving one client at a time (a
 * fake that sends no greeting, or sends it late, is a socket another client holds until then).
 */
class QmpConnectFirstTest {
  private static final QmpOptions OPTIONS = TestClients.OPTIONS;
  private static final Duration STAGGER = Duration.ofMillis(100);

  /** Longer than any connect here: a socket is only tried next when the one before failed. */
  private static final Duration NEVER = Duration.ofMinutes(10);

  @Test
  void takesTheFirstSocketWhenItIsFreeAndLeavesTheOtherAlone() {
    try (FakeQmpServer first = FakeQmpServer.start();
        FakeQmpServer second = FakeQmpServer.start();
        QmpClient qmp = connect(first, second, STAGGER)) {
      assertThat(qmp.socket()).isEqualTo(first.socketPath());
      assertThat(second.connections()).isZero();
    }
  }

  @Test
  void takesTheSecondSocketWhenTheFirstIsHeld() {
    try (FakeQmpServer first = FakeQmpServer.start().noGreeting();
        FakeQmpServer second = FakeQmpServer.start();
        QmpClient qmp = connect(first, second, STAGGER)) {
      assertThat(qmp.socket()).isEqualTo(second.socketPath());
      assertThat(qmp.isConnected()).isTrue();
    }
  }

  @Test
  void keepsWaitingOnTheFirstSocketAndTakesItWhenItFreesUpFirst() {
    // both held: the first is served after 1 s, the second never
    try (FakeQmpServer first = FakeQmpServer.start().greetAfter(Duration.ofSeconds(1));
        FakeQmpServer second = FakeQmpServer.start().noGreeting();
        QmpClient qmp = connect(first, second, STAGGER)) {
      assertThat(qmp.socket()).isEqualTo(first.socketPath());
      assertThat(second.connections()).as("the second socket was tried too").isEqualTo(1);
    }
  }

  @Test
  void takesTheSecondSocketWhenItFreesUpFirst() {
    try (FakeQmpServer first = FakeQmpServer.start().noGreeting();
        FakeQmpServer second = FakeQmpServer.start().greetAfter(Duration.ofSeconds(1));
        QmpClient qmp = connect(first, second, STAGGER)) {
      assertThat(qmp.socket()).isEqualTo(second.socketPath());
    }
  }

  @Test
  void theFirstSocketServedAlthoughItsGreetingEndsLateIsKept() {
    // served from the first byte on: not a held socket, however late the line ends
    try (FakeQmpServer first = FakeQmpServer.start().splitGreeting(1, Duration.ofSeconds(1));
        FakeQmpServer second = FakeQmpServer.start();
        QmpClient qmp = connect(first, second, STAGGER)) {
      assertThat(qmp.socket()).isEqualTo(first.socketPath());
      assertThat(second.connections()).isZero();
    }
  }

  @Test
  void aMissingFirstSocketSendsItToTheSecondAtOnce(@TempDir Path dir) {
    try (FakeQmpServer second = FakeQmpServer.start();
        QmpClient qmp =
            QmpClient.connectFirst(
                List.of(dir.resolve("absent.sock"), second.socketPath()), OPTIONS, NEVER)) {
      assertThat(qmp.socket()).isEqualTo(second.socketPath());
    }
  }

  @Test
  void noSocketAtAllIsTheFirstSocketsConnectionError(@TempDir Path dir) {
    Path a = dir.resolve("a.sock");
    Path b = dir.resolve("b.sock");
    assertThatThrownBy(() -> QmpClient.connectFirst(List.of(a, b), OPTIONS, STAGGER))
        .isExactlyInstanceOf(QmpConnectionException.class)
        .hasMessageStartingWith("connect QMP " + a + ": ")
        .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
  }

  @Test
  void bothHeldUntilTheDeadlineIsOneTimeoutNamingBoth() {
    QmpOptions fast = OPTIONS.withConnectTimeout(Duration.ofMillis(600));
    try (FakeQmpServer first = FakeQmpServer.start().noGreeting();
        FakeQmpServer second = FakeQmpServer.start().noGreeting()) {
      assertThatThrownBy(
              () ->
                  QmpClient.connectFirst(
                      List.of(first.socketPath(), second.socketPath()), fast, STAGGER))
          .isExactlyInstanceOf(QmpTimeoutException.class)
          .hasMessage(
              "connect QMP "
                  + first.socketPath()
                  + " or "
                  + second.socketPath()
                  + ": QEMU served neither within 600 ms (it serves one client per socket: other"
                  + " clients hold them, or QEMU is stopped)")
          .satisfies(
              e ->
                  assertThat(e.getSuppressed())
                      .extracting(Throwable::getMessage)
                      .containsExactly(
                          "connect QMP "
                              + first.socketPath()
                              + ": no greeting within 600 ms; another client probably holds the"
                              + " socket (QEMU serves one client per socket)",
                          "connect QMP "
                              + second.socketPath()
                              + ": no greeting within 600 ms; another client probably holds the"
                              + " socket (QEMU serves one client per socket)"));
    }
  }

  @Test
  void theServedSocketsProtocolErrorIsTheFailure() {
    try (FakeQmpServer first = FakeQmpServer.start().greeting("hello, I am not QEMU");
        FakeQmpServer second = FakeQmpServer.start()) {
      assertThatThrownBy(() -> connect(first, second, NEVER))
          .isExactlyInstanceOf(QmpProtocolException.class)
          .hasMessageContaining("connect QMP " + first.socketPath() + ": ")
          .hasMessageContaining("hello, I am not QEMU");
      assertThat(second.connections()).isZero();
    }
  }

  private static QmpClient connect(FakeQmpServer first, FakeQmpServer second, Duration stagger) {
    return QmpClient.connectFirst(
        List.of(first.socketPath(), second.socketPath()), OPTIONS, stagger);
  }
}
