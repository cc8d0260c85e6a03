package org.vmm4j.core.internal.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.testing.qmp.FakeQmpServer;

/** An unexpected exit is reported once, within a second; an expected one is not. */
class SupervisorTest {
  @TempDir Path dir;

  private HostProcess sleeper() {
    return HostProcess.spawn(List.of("sleep", "60"), dir.resolve("out.log"));
  }

  @Test
  void childExitIsReportedOnceWithinASecond() throws Exception {
    HostProcess p = sleeper();
    CompletableFuture<HostProcess> seen = new CompletableFuture<>();
    AtomicInteger calls = new AtomicInteger();
    try (Supervisor s =
        Supervisor.watch(
            "test",
            p,
            null,
            Duration.ofSeconds(30),
            x -> {
              calls.incrementAndGet();
              seen.complete(x);
            })) {
      long t0 = System.nanoTime();
      p.kill();
      assertThat(seen.get(1, TimeUnit.SECONDS)).isSameAs(p);
      assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(1));
      Thread.sleep(100);
      assertThat(calls).hasValue(1);
      assertThat(s.exitReported()).isTrue();
    }
  }

  @Test
  void aProcessThatIsNotOurChildIsPolled() throws Exception {
    Process plain = new ProcessBuilder("sleep", "60").start();
    HostProcess p = HostProcess.attach(plain.pid()).orElseThrow();
    CompletableFuture<HostProcess> seen = new CompletableFuture<>();
    try (Supervisor s = Supervisor.watch("test", p, null, Duration.ofMillis(200), seen::complete)) {
      plain.destroyForcibly();
      assertThat(seen.get(1, TimeUnit.SECONDS)).isSameAs(p);
    }
  }

  @Test
  void aQmpDisconnectPromptsACheckAtOnce() throws Exception {
    Process plain = new ProcessBuilder("sleep", "60").start();
    HostProcess p = HostProcess.attach(plain.pid()).orElseThrow();
    CompletableFuture<HostProcess> seen = new CompletableFuture<>();
    try (FakeQmpServer fake = FakeQmpServer.start();
        QmpClient qmp = QmpClient.connect(fake.socketPath());
        Supervisor s = Supervisor.watch("test", p, qmp, Duration.ofSeconds(30), seen::complete)) {
      plain.destroyForcibly().waitFor();
      fake.disconnectClient();
      assertThat(seen.get(1, TimeUnit.SECONDS)).isSameAs(p);
    }
  }

  @Test
  void anExpectedExitIsNotReported() throws Exception {
    HostProcess p = sleeper();
    AtomicInteger calls = new AtomicInteger();
    try (Supervisor s =
        Supervisor.watch("test", p, null, Duration.ofMillis(50), x -> calls.incrementAndGet())) {
      s.expectExit();
      p.kill();
      p.awaitExit(Duration.ofSeconds(5));
      Thread.sleep(300);
      assertThat(calls).hasValue(0);
      assertThat(s.exitReported()).isFalse();
    }
  }
}
