package org.vmm4j.core.internal.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.api.StopOutcome;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.qmp.QmpOptions;
import org.vmm4j.testing.qmp.FakeQmpServer;

/**
 * quit, SIGTERM, SIGKILL against stand-ins: a {@link FakeQmpServer} plays QEMU's monitor and a
 * {@code sleep} (which may ignore SIGTERM) plays its process.
 */
class StopperTest {
  static final Stopper.Deadlines SHORT =
      new Stopper.Deadlines(Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofSeconds(5));

  @TempDir Path dir;
  private HostProcess proc;

  @AfterEach
  void killLeftovers() {
    if (proc != null) {
      proc.kill();
      proc.awaitExit(Duration.ofSeconds(5));
    }
  }

  private HostProcess sleeper(boolean ignoreTerm) {
    String script = (ignoreTerm ? "trap '' TERM; " : "") + "exec sleep 60";
    proc = HostProcess.spawn(List.of("/bin/sh", "-c", script), dir.resolve("out.log"));
    // wait until the shell has exec'd sleep (so that the trap is in place)
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!ProcStat.cmdline(proc.pid()).contains("sleep") && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    return proc;
  }

  @Test
  void quitThatEndsTheProcessIsEnough() {
    HostProcess p = sleeper(false);
    try (FakeQmpServer fake = FakeQmpServer.start()) {
      fake.on("quit")
          .answer(
              c -> {
                p.kill();
                return FakeQmpServer.json("{}");
              });
      try (QmpClient qmp = QmpClient.connect(fake.socketPath())) {
        assertThat(Stopper.stop("test", p, qmp, SHORT)).isEqualTo(StopOutcome.QUIT);
      }
      assertThat(fake.commandNames()).containsExactly("qmp_capabilities", "quit");
    }
    assertThat(p.isAlive()).isFalse();
  }

  @Test
  void unansweredQuitFallsBackToSigterm() {
    HostProcess p = sleeper(false);
    try (FakeQmpServer fake = FakeQmpServer.start()) {
      fake.on("quit").noReply();
      try (QmpClient qmp = QmpClient.connect(fake.socketPath())) {
        assertThat(Stopper.stop("test", p, qmp, SHORT)).isEqualTo(StopOutcome.SIGTERM);
      }
    }
    assertThat(p.exitStatus()).hasValue(128 + 15);
  }

  @Test
  void quitRefusedAndSigtermIgnoredEndsWithSigkill() {
    HostProcess p = sleeper(true);
    try (FakeQmpServer fake = FakeQmpServer.start()) {
      fake.on("quit").error("GenericError", "not now");
      try (QmpClient qmp = QmpClient.connect(fake.socketPath())) {
        assertThat(Stopper.stop("test", p, qmp, SHORT)).isEqualTo(StopOutcome.SIGKILL);
      }
    }
    assertThat(p.exitStatus()).hasValue(128 + 9);
  }

  @Test
  void withoutQmpItSignals() {
    HostProcess p = sleeper(false);
    assertThat(Stopper.stop("test", p, null, SHORT)).isEqualTo(StopOutcome.SIGTERM);
  }

  @Test
  void aStoppedProcessIsContinuedToActOnSigterm() throws Exception {
    // SIGTERM stays pending while a process is stopped: without SIGCONT only SIGKILL ends it
    HostProcess p = sleeper(false);
    Process stop = new ProcessBuilder("kill", "-STOP", Long.toString(p.pid())).start();
    assertThat(stop.waitFor(5, TimeUnit.SECONDS) && stop.exitValue() == 0).isTrue();
    while (!p.isStopped()) {
      Thread.onSpinWait();
    }
    Stopper.Deadlines longTerm =
        new Stopper.Deadlines(
            Duration.ofMillis(300), Duration.ofSeconds(20), Duration.ofSeconds(5));
    assertThat(Stopper.stop("test", p, null, longTerm)).isEqualTo(StopOutcome.SIGTERM);
    assertThat(p.exitStatus()).hasValue(128 + 15);
  }

  @Test
  void aGoneProcessIsAlreadyStopped() {
    HostProcess p = sleeper(false);
    p.kill();
    p.awaitExit(Duration.ofSeconds(5));
    assertThat(Stopper.stop("test", p, null, SHORT)).isEqualTo(StopOutcome.ALREADY_GONE);
  }

  @Test
  void aProcessThatIsNotOurChildCountsAsGoneOnceAZombie() throws Exception {
    // sh forks sleep 60, then becomes "sleep 120", which never reaps its child: a killed child
    // stays a zombie, as QEMU does under a parent that is not vmm4j (only the parent reaps)
    proc =
        HostProcess.spawn(
            List.of("/bin/sh", "-c", "sleep 60 & exec sleep 120"), dir.resolve("out.log"));
    long childPid = awaitChild(proc.pid());
    HostProcess child = HostProcess.attach(childPid).orElseThrow();
    assertThat(child.isChild()).isFalse();
    assertThat(Stopper.signal("test", child, SHORT)).isEqualTo(StopOutcome.SIGTERM);
    assertThat(ProcStat.read(childPid))
        .hasValueSatisfying(s -> assertThat(s.state()).isEqualTo('Z'));
    assertThat(child.isAlive()).isFalse();
  }

  static long awaitChild(long pid) throws InterruptedException {
    for (int i = 0; i < 500; i++) {
      var kids = ProcessHandle.of(pid).map(h -> h.children().toList()).orElse(List.of());
      for (ProcessHandle k : kids) {
        if (ProcStat.cmdline(k.pid()).equals(List.of("sleep", "60"))) {
          return k.pid();
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no child of " + pid);
  }

  static QmpOptions fast() {
    return QmpOptions.defaults().withConnectTimeout(Duration.ofSeconds(2));
  }
}
