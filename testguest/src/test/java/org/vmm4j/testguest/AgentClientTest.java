package org.vmm4j.testguest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.testguest.FakeAgent.Answer;

class AgentClientTest {
  private static final Duration SHORT = Duration.ofMillis(700);
  @TempDir Path dir;

  @Test
  void syncsPastStaleLinesEchoesAndOldReadyThenAnswers() throws Exception {
    try (FakeAgent fake =
            FakeAgent.start(dir.resolve("a.sock"))
                .echo(true)
                .greeting("[    3.1] boot message\nREADY 2.00\nhalf a line without newline");
        AgentClient c = AgentClient.connect(fake.socket(), Duration.ofSeconds(5), SHORT)) {
      assertThat(c.readyUptime()).isEqualTo("1.00");
      assertThat(c.ping()).isTrue();
      // the client's first line is empty: it flushes a half line a previous client left behind
      assertThat(fake.received().get(0)).isEmpty();
      assertThat(fake.received().get(1)).startsWith("hello ");
    }
  }

  @Test
  void markerFoundAnywhereInALineAndReadyLinesDropped() throws Exception {
    try (FakeAgent fake = FakeAgent.start(dir.resolve("a.sock"));
        AgentClient c = AgentClient.connect(fake.socket(), Duration.ofSeconds(5), SHORT)) {
      fake.on("readblk vda 0 2", new Answer("READY 9.9 stale\nabcd", 0, 0));
      AgentReply r = c.call("readblk vda 0 2");
      assertThat(r.lines()).containsExactly("abcd");
      assertThat(r.rc()).isZero();
      assertThat(c.readBlock("vda", 0, 2)).containsExactly(0xab, 0xcd);
    }
  }

  @Test
  void nonZeroExitCodeIsKeptAndRequireOkNamesIt() throws Exception {
    try (FakeAgent fake = FakeAgent.start(dir.resolve("a.sock"));
        AgentClient c = AgentClient.connect(fake.socket(), Duration.ofSeconds(5), SHORT)) {
      AgentReply r = c.call("frobnicate");
      assertThat(r.rc()).isEqualTo(127);
      assertThat(r.lines()).containsExactly("unknown command: frobnicate");
      assertThatThrownBy(r::requireOk)
          .isInstanceOf(AgentException.class)
          .hasMessage(
              "guest agent: 'frobnicate' failed with exit code 127: unknown command: frobnicate");
    }
  }

  @Test
  void silentGuestGivesAClearReadyTimeout() throws Exception {
    try (FakeAgent fake =
        FakeAgent.start(dir.resolve("a.sock")).silent(true).greeting("SeaBIOS\n")) {
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> AgentClient.connect(fake.socket(), Duration.ofMillis(1500), SHORT))
          .isInstanceOf(AgentException.class)
          .hasMessageStartingWith(
              "guest agent on " + fake.socket() + " did not say READY within 1.5s")
          .hasMessageContaining("last output: SeaBIOS");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
      // it said hello more than once while waiting
      assertThat(fake.received().stream().filter(l -> l.startsWith("hello ")).count())
          .isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void missingSocketGivesAClearConnectError() {
    Path nowhere = dir.resolve("none.sock");
    assertThatThrownBy(() -> AgentClient.connect(nowhere, Duration.ofMillis(300), SHORT))
        .isInstanceOf(AgentException.class)
        .hasMessageStartingWith("guest agent: cannot connect to " + nowhere + " within 0.3s");
  }

  @Test
  void socketThatAppearsLaterIsConnected() throws Exception {
    Path sock = dir.resolve("late.sock");
    CompletableFuture<AgentClient> f =
        CompletableFuture.supplyAsync(
            () -> AgentClient.connect(sock, Duration.ofSeconds(10), SHORT));
    Thread.sleep(300);
    try (FakeAgent fake = FakeAgent.start(sock);
        AgentClient c = f.get()) {
      assertThat(c.ping()).isTrue();
    }
  }

  @Test
  void callTimeoutNamesCommandAndOutputThenNextCallResyncs() throws Exception {
    try (FakeAgent fake = FakeAgent.start(dir.resolve("a.sock"));
        AgentClient c = AgentClient.connect(fake.socket(), Duration.ofSeconds(5), SHORT)) {
      fake.on("sh sleep 1", new Answer("partial\n", 0, 1200));
      assertThatThrownBy(() -> c.call("sh sleep 1", Duration.ofMillis(300)))
          .isInstanceOf(AgentException.class)
          .hasMessageStartingWith(
              "guest agent on " + fake.socket() + " did not answer 'sh sleep 1' within 0.3s")
          .hasMessageContaining("last output:");
      // the late answer of the timed-out call must not be taken for the next one
      fake.on("uptime", Answer.lines(0, "12.5"));
      assertThat(c.call("uptime", Duration.ofSeconds(5)).lines()).containsExactly("12.5");
      assertThat(fake.received()).filteredOn(l -> l.startsWith("hello ")).hasSize(2);
    }
  }

  @Test
  void reconnectWorks() throws Exception {
    try (FakeAgent fake = FakeAgent.start(dir.resolve("a.sock"))) {
      for (int i = 0; i < 3; i++) {
        try (AgentClient c = AgentClient.connect(fake.socket(), Duration.ofSeconds(5), SHORT)) {
          assertThat(c.ping()).isTrue();
        }
      }
      assertThat(fake.connections()).isEqualTo(3);
    }
  }

  @Test
  void typedHelpersParseTheAgentsLines() throws Exception {
    try (FakeAgent fake = FakeAgent.start(dir.resolve("a.sock"));
        AgentClient c = AgentClient.connect(fake.socket(), Duration.ofSeconds(5), SHORT)) {
      fake.on("pcipath /sys/block/vda", Answer.lines(0, "05/03"));
      fake.on("pcipath /sys/class/net/lo", Answer.lines(0, "-"));
      fake.on("sumblk vda 0 512", Answer.lines(0, "ab".repeat(32)));
      fake.on("ping_host 10.0.2.2 1", Answer.lines(1, "1 packets transmitted, 0 received"));
      assertThat(c.pciPathOf("/sys/block/vda")).contains("05/03");
      assertThat(c.pciPathOf("/sys/class/net/lo")).isEqualTo(Optional.empty());
      assertThat(c.blockSha256("vda", 0, 512)).isEqualTo("ab".repeat(32));
      assertThat(c.pingHost("10.0.2.2", 1)).isFalse();
      assertThatThrownBy(() -> c.sh("x\ny")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> c.ifaddr("eth0; reboot", "1.2.3.4/24"))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void connectionClosedByQemuIsAClearError() throws Exception {
    try (FakeAgent fake = FakeAgent.start(dir.resolve("a.sock"));
        AgentClient c = AgentClient.connect(fake.socket(), Duration.ofSeconds(5), SHORT)) {
      fake.on("poweroff", new Answer("", 0, 5000));
      CompletableFuture<Void> dropping =
          CompletableFuture.runAsync(
              () -> {
                try {
                  Thread.sleep(200);
                  fake.dropConnection();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      assertThatThrownBy(() -> c.call("poweroff", Duration.ofSeconds(3)))
          .isInstanceOf(AgentException.class)
          .hasMessageStartingWith("guest agent on " + fake.socket() + ": 'poweroff': ")
          .hasMessageContaining("connection closed by the other side (did QEMU exit?)");
      dropping.get();
    }
  }
}
