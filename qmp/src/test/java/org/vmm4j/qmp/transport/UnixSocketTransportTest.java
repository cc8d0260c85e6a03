package org.vmm4j.qmp.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.ConnectionRefusedSocketException;
import org.vmm4j.qmp.transport.UnixSocketTransport.BacklogFullException;
import org.vmm4j.testing.qmp.FullBacklogSocket;

class UnixSocketTransportTest {
  /** Far beyond any deadline here: a connect still blocked then hangs. */
  private static final Duration HANG = Duration.ofSeconds(30);

  @Test
  void aFullBacklogFailsTheConnectAtItsDeadline(@TempDir Path dir) {
    Path sock = dir.resolve("s.sock");
    try (FullBacklogSocket stopped = FullBacklogSocket.at(sock)) {
      Duration timeout = Duration.ofMillis(200);
      BacklogFullException e =
          assertTimeoutPreemptively(
              HANG,
              () ->
                  catchThrowableOfType(
                      BacklogFullException.class, () -> UnixSocketTransport.connect(sock, timeout)),
              "connect to a socket whose listen backlog is full returned");
      assertThat(e).hasMessageStartingWith(sock + ": the listen backlog stayed full");
      assertThat(e.timeout()).isEqualTo(timeout);
    }
  }

  @Test
  void aConnectWaitingForRoomInTheBacklogSucceedsOnceTheListenerAccepts(@TempDir Path dir)
      throws Exception {
    Path sock = dir.resolve("s.sock");
    try (FullBacklogSocket busy = FullBacklogSocket.at(sock)) {
      CompletableFuture<UnixSocketTransport> connect =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return UnixSocketTransport.connect(sock, HANG);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      Thread.sleep(100); // it tries, and finds the backlog full
      assertThat(connect).isNotDone();
      busy.acceptOne();
      try (UnixSocketTransport t = connect.get(HANG.toSeconds(), TimeUnit.SECONDS)) {
        assertThat(t.peerPid()).hasValue(ProcessHandle.current().pid());
        t.write("{}\n".getBytes(StandardCharsets.US_ASCII), new FileDescriptor[0]);
      }
    }
  }

  @Test
  void enoentMeansNotListeningEvenWhenTheFileAppearedSince(@TempDir Path dir) throws IOException {
    // QEMU binds (creating the file) between our failed connect and the check: the error decides.
    Path sock = Files.createFile(dir.resolve("qmp.sock"));
    assertThat(
            UnixSocketTransport.notListening(
                new SocketException("No such file or directory"), sock))
        .isTrue();
    assertThat(UnixSocketTransport.notListening(new ConnectionRefusedSocketException("x"), sock))
        .isTrue();
    assertThat(UnixSocketTransport.notListening(new SocketException("Permission denied"), sock))
        .isFalse();
    assertThat(
            UnixSocketTransport.notListening(
                new SocketException("Permission denied"), dir.resolve("absent.sock")))
        .isTrue();
  }
}
