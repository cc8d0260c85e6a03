package org.vmm4j.core.internal.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.api.ReattachException;
import org.vmm4j.core.api.SandboxPaths;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.qmp.QmpConnectTimeoutException;
import org.vmm4j.qmp.QmpOptions;
import org.vmm4j.qmp.QmpTimeoutException;
import org.vmm4j.testing.qmp.FakeQmpServer;
import org.vmm4j.testing.qmp.FullBacklogSocket;

/**
 * Reattach's socket choice and identity checks against fake monitors (their peer pid is this
 * JVM's).
 */
class QmpAttachTest {
  static final String UUID = "2a1f3e5c-8c63-4a51-9f2d-6a0e5b9b2c11";
  static final long ME = ProcessHandle.current().pid();

  /** Far beyond any deadline here: a connect still blocked then hangs. */
  static final Duration HANG = Duration.ofSeconds(30);

  /** How long a reattach waits for a socket here. */
  static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  private SandboxPaths paths() {
    return new SandboxPaths(dir, dir.resolve("shared"));
  }

  @Test
  void sameQemuPasses() {
    try (FakeQmpServer fake = FakeQmpServer.start(paths().qmpSocket())) {
      fake.on("query-uuid").reply("{\"UUID\":\"" + UUID + "\"}");
      try (QmpClient qmp =
          QmpAttach.connect(paths(), QmpOptions.defaults(), Duration.ofSeconds(1), WAIT)) {
        QmpAttach.checkIdentity("sandbox s", qmp, ME, UUID);
        assertThat(qmp.socket()).isEqualTo(paths().qmpSocket());
      }
    }
  }

  @Test
  void anotherPidIsRefused() {
    try (FakeQmpServer fake = FakeQmpServer.start(paths().qmpSocket());
        QmpClient qmp = QmpClient.connect(fake.socketPath())) {
      assertThatThrownBy(() -> QmpAttach.checkIdentity("sandbox s", qmp, 1, UUID))
          .isInstanceOf(ReattachException.class)
          .hasMessage(
              "sandbox s: QMP socket "
                  + paths().qmpSocket()
                  + " is served by pid "
                  + ME
                  + ", not by the sandbox's QEMU pid 1");
      assertThat(fake.commandNames()).doesNotContain("query-uuid");
    }
  }

  @Test
  void anotherUuidIsRefused() {
    try (FakeQmpServer fake = FakeQmpServer.start(paths().qmpSocket())) {
      fake.on("query-uuid").reply("{\"UUID\":\"00000000-0000-0000-0000-000000000000\"}");
      try (QmpClient qmp = QmpClient.connect(fake.socketPath())) {
        assertThatThrownBy(() -> QmpAttach.checkIdentity("sandbox s", qmp, ME, UUID))
            .isInstanceOf(ReattachException.class)
            .hasMessageContaining("has UUID 00000000-0000-0000-0000-000000000000")
            .hasMessageEndingWith("the sandbox's is " + UUID);
      }
    }
  }

  @Test
  void aControllerSocketWithAFullBacklogFallsBackToTheToolsSocket() {
    // clients that gave up on a held (or stopped) controller socket wait in its backlog of one
    try (FullBacklogSocket controller = FullBacklogSocket.at(paths().qmpSocket());
        FakeQmpServer tools = FakeQmpServer.start(paths().toolsQmpSocket())) {
      try (QmpClient qmp =
          assertTimeoutPreemptively(
              HANG,
              () -> QmpAttach.connect(paths(), QmpOptions.defaults(), Duration.ofMillis(300), WAIT),
              "connect to a controller socket whose backlog is full returned")) {
        assertThat(qmp.socket()).isEqualTo(paths().toolsQmpSocket());
      }
      assertThat(tools.connections()).isEqualTo(1);
    }
  }

  @Test
  void twoFullBacklogsFailWithinTheWaitNamingBoth() {
    // a stopped QEMU: neither socket accepts
    try (FullBacklogSocket controller = FullBacklogSocket.at(paths().qmpSocket());
        FullBacklogSocket tools = FullBacklogSocket.at(paths().toolsQmpSocket())) {
      Throwable e =
          assertTimeoutPreemptively(
              HANG,
              () ->
                  catchThrowable(
                      () ->
                          QmpAttach.connect(
                              paths(),
                              QmpOptions.defaults(),
                              Duration.ofMillis(200),
                              Duration.ofSeconds(1))),
              "connect to two sockets whose backlogs are full returned");
      assertThat(e)
          .isInstanceOf(QmpTimeoutException.class)
          .hasMessage(
              "connect QMP "
                  + paths().qmpSocket()
                  + " or "
                  + paths().toolsQmpSocket()
                  + ": QEMU served neither within 1 s (it serves one client per socket: other"
                  + " clients hold them, or QEMU is stopped)");
      assertThat(e.getSuppressed())
          .hasSize(2)
          .allSatisfy(
              c ->
                  assertThat(c)
                      .isInstanceOf(QmpConnectTimeoutException.class)
                      .hasMessageContaining(": QEMU did not accept the connection within 1 s"));
    }
  }

  @Test
  void whileBothSocketsAreHeldItTakesTheOneThatFreesUpFirst() {
    // the controller's holder leaves after a second; the tools socket stays held
    try (FakeQmpServer controller =
            FakeQmpServer.start(paths().qmpSocket()).greetAfter(Duration.ofSeconds(1));
        FakeQmpServer tools = FakeQmpServer.start(paths().toolsQmpSocket()).noGreeting();
        QmpClient qmp =
            QmpAttach.connect(paths(), QmpOptions.defaults(), Duration.ofMillis(100), WAIT)) {
      assertThat(qmp.socket()).isEqualTo(paths().qmpSocket());
      assertThat(tools.connections()).as("it waited on the tools socket too").isEqualTo(1);
    }
  }

  @Test
  void whileBothSocketsAreHeldLongerThanAConnectTimeoutItWaitsItsTurn() {
    // the 5 s connect deadline of one socket is not the wait: queued clients take longer
    try (FakeQmpServer controller = FakeQmpServer.start(paths().qmpSocket()).noGreeting();
        FakeQmpServer tools =
            FakeQmpServer.start(paths().toolsQmpSocket()).greetAfter(Duration.ofSeconds(2));
        QmpClient qmp =
            QmpAttach.connect(
                paths(),
                QmpOptions.defaults().withConnectTimeout(Duration.ofSeconds(1)),
                Duration.ofMillis(100),
                WAIT)) {
      assertThat(qmp.socket()).isEqualTo(paths().toolsQmpSocket());
    }
  }

  @Test
  void aBusyControllerSocketFallsBackToTheToolsSocket() {
    try (FakeQmpServer controller = FakeQmpServer.start(paths().qmpSocket());
        FakeQmpServer tools = FakeQmpServer.start(paths().toolsQmpSocket());
        QmpClient holder = QmpClient.connect(controller.socketPath())) {
      long t0 = System.nanoTime();
      try (QmpClient qmp =
          QmpAttach.connect(paths(), QmpOptions.defaults(), Duration.ofMillis(300), WAIT)) {
        assertThat(qmp.socket()).isEqualTo(paths().toolsQmpSocket());
      }
      assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(4).toNanos());
      assertThat(tools.connections()).isEqualTo(1);
    }
  }
}
