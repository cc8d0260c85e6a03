package org.vmm4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a {@link ConsoleSession} hangs up. QEMU's socket chardev drops the connection, and with it
 * whatever it has not read yet, as soon as the client has hung up (it watches for the hang-up
 * separately from reading, and reads only while the guest takes input). So the session must end its
 * input and keep the connection until the other end has read it all and closed. The test is the
 * other end and reads nothing until the session has ended its input: the interleaving in which a
 * session that simply closes loses what was typed last.
 */
class ConsoleSessionTest {
  private static final Duration LONG = Duration.ofSeconds(30);

  @TempDir Path dir;
  private ServerSocketChannel server;
  private SocketChannel client;
  private SocketChannel peer;
  private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
  private final List<String> notices = new CopyOnWriteArrayList<>();

  @BeforeEach
  void connect() throws IOException {
    Path sock = dir.resolve("console.sock");
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(sock));
    client = SocketChannel.open(UnixDomainSocketAddress.of(sock));
    peer = server.accept();
  }

  @AfterEach
  void close() throws IOException {
    peer.close();
    client.close();
    server.close();
  }

  /** Runs a session on {@code client} and closes it after, as {@code vmm4j console} does. */
  private CompletableFuture<ConsoleSession.End> start(InputStream in, ConsoleSession.Options o) {
    SocketChannel ch = client;
    ConsoleSession s = new ConsoleSession(ch, in, screen, o, notices::add);
    return CompletableFuture.supplyAsync(
        () -> {
          try (ch) {
            return s.run();
          } catch (IOException e) {
            throw new AssertionError(e);
          }
        });
  }

  private static ConsoleSession.Options terminal(Duration hangUpWait) {
    return new ConsoleSession.Options(
        true, true, Duration.ofSeconds(1), Duration.ofSeconds(30), hangUpWait);
  }

  @Test
  void keysTypedBeforeCtrlRightBracketAreReadBeforeTheConsoleIsClosed() throws Exception {
    PipedOutputStream keys = new PipedOutputStream();
    CompletableFuture<ConsoleSession.End> end = start(new PipedInputStream(keys), terminal(LONG));
    keys.write(new byte[] {'l', 's', '\r', 'x', ConsoleSession.DETACH, 'y'});
    keys.flush();

    assertThat(readToEnd(peer)).isEqualTo("ls\rx");
    // Had the session closed rather than ended its input, this write would find it gone.
    peer.write(ByteBuffer.wrap("$ ".getBytes(StandardCharsets.UTF_8)));
    assertThat(end).isNotDone();
    peer.close();

    assertThat(end.get(30, TimeUnit.SECONDS)).isEqualTo(ConsoleSession.End.DETACHED);
    assertThat(notices).isEmpty();
    assertThat(screen.toString(StandardCharsets.UTF_8)).isEqualTo("ls\nx$ ");
  }

  @Test
  void scriptedInputIsReadBeforeTheConsoleIsClosed() throws Exception {
    ConsoleSession.Options scripted =
        new ConsoleSession.Options(
            false, false, Duration.ofMillis(1), Duration.ofSeconds(30), LONG);
    CompletableFuture<ConsoleSession.End> end =
        start(new ByteArrayInputStream("ping\n".getBytes(StandardCharsets.UTF_8)), scripted);
    peer.write(ByteBuffer.wrap("pong\n".getBytes(StandardCharsets.UTF_8)));

    assertThat(readToEnd(peer)).isEqualTo("ping\n");
    peer.write(ByteBuffer.wrap("@@END@@ 0\n".getBytes(StandardCharsets.UTF_8)));
    peer.close();

    assertThat(end.get(30, TimeUnit.SECONDS)).isEqualTo(ConsoleSession.End.DRAINED);
    assertThat(screen.toString(StandardCharsets.UTF_8)).isEqualTo("pong\n@@END@@ 0\n");
  }

  @Test
  void aGuestThatDoesNotTakeTheInputIsGivenUpOnAfterTheWaitAndSaidSo() throws Exception {
    byte[] typed = {'x', ConsoleSession.DETACH};
    // The other end neither reads nor closes (QEMU while the guest takes no input).
    CompletableFuture<ConsoleSession.End> end =
        start(new ByteArrayInputStream(typed), terminal(Duration.ofMillis(200)));

    assertThat(end.get(30, TimeUnit.SECONDS)).isEqualTo(ConsoleSession.End.DETACHED);
    assertThat(notices)
        .containsExactly(
            "the guest did not take the input within 200 ms of the end of the session:"
                + " what it had not read yet is lost");
    assertThat(readToEnd(peer)).isEqualTo("x");
  }

  private static String readToEnd(SocketChannel c) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(1024);
    while (c.read(buf.clear()) >= 0) {
      got.write(buf.array(), 0, buf.position());
    }
    return got.toString(StandardCharsets.UTF_8);
  }
}
