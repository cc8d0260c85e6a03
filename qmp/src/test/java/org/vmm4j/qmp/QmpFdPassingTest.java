package org.vmm4j.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.newsclub.net.unix.AFPipe;
import org.vmm4j.testing.qmp.FakeQmpServer;
import org.vmm4j.testing.qmp.ReceivedQmpCommand;

/** Descriptors travel with their command, and fd-carrying commands are never pipelined. */
class QmpFdPassingTest {
  private FakeQmpServer fake;
  private QmpClient qmp;
  private AFPipe pipe;

  @BeforeEach
  void connect() throws Exception {
    fake = FakeQmpServer.start().failOnUnexpectedCommands();
    qmp = QmpClient.connect(fake.socketPath(), TestClients.OPTIONS);
    pipe = AFPipe.open();
  }

  @AfterEach
  void close() throws Exception {
    pipe.close();
    qmp.close();
    fake.close();
  }

  @Test
  void getfdSendsTheDescriptorWithTheCommand() throws Exception {
    fake.on("getfd");
    FileDescriptor sink = pipe.sink().getFileDescriptor();
    qmp.call(new GetFd("pipe0", sink));

    ReceivedQmpCommand got = fake.received("getfd").get(0);
    assertThat(got.line())
        .isEqualTo("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"pipe0\"},\"id\":2}");
    assertThat(got.fds()).hasSize(1);
    assertThat(got.fdTarget(0)).startsWith("pipe:[").isEqualTo(ReceivedQmpCommand.describeFd(sink));
    // The server's copy writes into our pipe.
    try (var out = new java.io.FileOutputStream(got.fds().get(0))) {
      out.write("hi".getBytes(StandardCharsets.US_ASCII));
    }
    ByteBuffer b = ByteBuffer.allocate(2);
    pipe.source().read(b);
    assertThat(new String(b.array(), StandardCharsets.US_ASCII)).isEqualTo("hi");
  }

  @Test
  void commandsWithoutDescriptorsCarryNone() throws Exception {
    fake.on("getfd");
    fake.on("closefd");
    qmp.call(new GetFd("pipe0", pipe.sink().getFileDescriptor()));
    qmp.call(new CloseFd("pipe0"));
    assertThat(fake.received("closefd").get(0).fds()).isEmpty();
  }

  @Test
  void addFdReturnsTheFdsetAndSendsTheDescriptor() throws Exception {
    fake.on("add-fd").reply("{\"fd\":12,\"fdset-id\":0}");
    AddFdInfo info = qmp.call(new AddFd(pipe.source().getFileDescriptor(), null, "rootfs-ro"));
    assertThat(info).isEqualTo(new AddFdInfo(0, 12));
    ReceivedQmpCommand got = fake.received("add-fd").get(0);
    assertThat(got.arg("opaque")).isEqualTo("rootfs-ro");
    assertThat(got.fdTarget(0))
        .isEqualTo(ReceivedQmpCommand.describeFd(pipe.source().getFileDescriptor()));
  }

  @Test
  void aSecondFdCommandIsWrittenOnlyAfterTheFirstIsAnswered() throws Exception {
    // The fake answers nothing for "a" and goes on reading: a pipelining client would have its
    // second getfd received at once. Ours holds it back until "a" is answered (by hand, below).
    fake.on("getfd", c -> "a".equals(c.arg("fdname"))).noReply();
    fake.on("getfd", c -> "b".equals(c.arg("fdname"))).reply("{}");
    FileDescriptor fd = pipe.sink().getFileDescriptor();
    CompletableFuture<Void> a = qmp.callAsync(new GetFd("a", fd));
    ReceivedQmpCommand first = fake.awaitCommand("getfd", Duration.ofSeconds(5));
    CompletableFuture<Void> b = CompletableFuture.runAsync(() -> qmp.call(new GetFd("b", fd)));
    Thread.sleep(300);
    assertThat(fake.received("getfd")).hasSize(1);
    assertThat(b).isNotDone();
    fake.sendRaw("{\"return\": {}, \"id\": " + first.id() + "}");
    a.get(5, TimeUnit.SECONDS);
    b.get(5, TimeUnit.SECONDS);
    assertThat(fake.received("getfd")).extracting(c -> c.arg("fdname")).containsExactly("a", "b");
    assertThat(fake.received("getfd")).allSatisfy(c -> assertThat(c.fds()).hasSize(1));
  }

  @Test
  void anUnansweredFdCommandHoldsBackTheNextOneUntilItsDeadline() throws Exception {
    fake.on("getfd").noReply();
    fake.on("query-status").reply("{\"status\":\"running\",\"running\":true}");
    FileDescriptor fd = pipe.sink().getFileDescriptor();
    assertThatThrownBy(() -> qmp.call(new GetFd("a", fd), Duration.ofMillis(100)))
        .isInstanceOf(QmpTimeoutException.class);
    // QEMU may still consume "a" later: a second fd must not be sent meanwhile.
    assertThatThrownBy(() -> qmp.call(new GetFd("b", fd), Duration.ofMillis(200)))
        .isInstanceOf(QmpTimeoutException.class)
        .hasMessage(
            "getfd fdname=b: timed out waiting for the previous fd-carrying command to complete");
    assertThat(fake.received("getfd")).hasSize(1);
    // Commands without descriptors are not held back.
    assertThat(qmp.call(new QueryStatus()).running()).isTrue();
  }

  @Test
  void aClosedDescriptorIsRefusedBeforeSending() throws Exception {
    FileDescriptor closed = new FileDescriptor();
    assertThatThrownBy(() -> new GetFd("x", closed)).isInstanceOf(IllegalArgumentException.class);
    try (FileInputStream in = new FileInputStream("/dev/null")) {
      assertThat(new GetFd("x", in.getFD()).fds()).hasSize(1);
    }
  }
}
