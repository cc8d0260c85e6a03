package org.vmm4j.it.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.SandboxEvent.QemuExited;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.StopOutcome;
import org.vmm4j.core.internal.vm.Dirs;
import org.vmm4j.persist.FsStore;
import org.vmm4j.qmp.QmpClient;

/**
 * QEMU killed after start is reported within a second (as its parent and as a reattached
 * controller) and recorded as stopped; stop gets past a stopped QEMU that does not answer {@code
 * quit} (SIGTERM, once continued) and one whose QMP sockets are both held by others (SIGTERM).
 */
class SupervisionIT {
  static final Duration REPORT = Duration.ofSeconds(1);

  Path root;
  FsStore store;

  @BeforeEach
  void setUp() throws Exception {
    Fixture.guest();
    root = Files.createTempDirectory("vmm4j-sup");
    store = new FsStore(root);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (String id : store.list()) {
      Sandbox.delete(store, id, SandboxOptions.defaults());
    }
    Dirs.deleteTree(root);
  }

  private Sandbox start(String id, SandboxOptions options) {
    return Sandbox.start(store, Fixture.spec(id, Fixture.config("pc", 1, 256)), options);
  }

  void assertReportedAndRecorded(
      CompletableFuture<QemuExited> seen, long killedAt, long pid, Sandbox s) throws Exception {
    QemuExited exit = seen.get(5, TimeUnit.SECONDS);
    long tookNanos = System.nanoTime() - killedAt;
    assertThat(Duration.ofNanos(tookNanos)).isLessThan(REPORT);
    assertThat(exit.pid()).isEqualTo(pid);
    assertThat(exit.process()).isEqualTo("qemu");
    assertThat(exit.requested()).as("killed, not stopped by vmm4j").isFalse();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> store.load(s.id()).sandbox().state().equals("stopped"));
    assertThat(s.status()).isEqualTo(Sandbox.Status.EXITED);
    assertThat(store.vmDir(s.id())).doesNotExist();
  }

  @Test
  void qemuKilledAfterStartIsReportedWithinASecond() throws Exception {
    CompletableFuture<QemuExited> seen = new CompletableFuture<>();
    try (Sandbox s =
        start("crash", SandboxOptions.defaults().withListener(Fixture.exits(seen::complete)))) {
      long t0 = System.nanoTime();
      Fixture.signal(s.pid(), "KILL");
      assertReportedAndRecorded(seen, t0, s.pid(), s);
      assertThat(seen.get().signal()).hasValue(9);
      assertThat(seen.get().exitStatus()).isEmpty();
      assertThat(seen.get().describe())
          .startsWith("sandbox crash: qemu pid " + s.pid() + " exited");
    }
  }

  @Test
  void aReattachedControllerNoticesTooWithinASecond() throws Exception {
    long pid;
    try (Sandbox starter = start("crash2", SandboxOptions.defaults())) {
      pid = starter.pid();
    }
    CompletableFuture<QemuExited> seen = new CompletableFuture<>();
    try (Sandbox s =
        Sandbox.restore(
            store,
            "crash2",
            SandboxOptions.defaults().withListener(Fixture.exits(seen::complete)))) {
      long t0 = System.nanoTime();
      Fixture.signal(pid, "KILL");
      assertReportedAndRecorded(seen, t0, pid, s);
    }
  }

  @Test
  void aStoppedQemuThatReadsNoQmpIsContinuedToTakeSigterm() throws Exception {
    SandboxOptions quick =
        SandboxOptions.defaults()
            .withStopTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(5));
    try (Sandbox s = start("frozen", quick)) {
      // a stopped process reads no QMP, and SIGTERM stays pending until it is continued: stop
      // sends SIGCONT after SIGTERM, and QEMU shuts down on it
      Fixture.signal(s.pid(), "STOP");
      assertThat(s.stop()).isEqualTo(StopOutcome.SIGTERM);
      assertThat(Fixture.qemusOf(store, "frozen")).isEmpty();
      assertThat(store.load("frozen").sandbox().state()).isEqualTo("stopped");
    }
  }

  @Test
  void withBothQmpSocketsHeldByOthersStopUsesSigterm() throws Exception {
    try (Sandbox s = start("busy", SandboxOptions.defaults());
        QmpClient tools = QmpClient.connect(s.paths().toolsQmpSocket())) {
      // s holds the controller socket, `tools` the tools socket: another process cannot get either
      StopOutcome out = Sandbox.stop(store, "busy", SandboxOptions.defaults());
      assertThat(out).isEqualTo(StopOutcome.SIGTERM);
      assertThat(Fixture.qemusOf(store, "busy")).isEmpty();
      assertThat(store.load("busy").sandbox().state()).isEqualTo("stopped");
      assertThat(Sandbox.stop(store, "busy", SandboxOptions.defaults()))
          .isEqualTo(StopOutcome.ALREADY_GONE);
    }
  }
}
