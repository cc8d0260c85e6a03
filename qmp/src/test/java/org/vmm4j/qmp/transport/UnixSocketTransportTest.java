package org.vmm4j.qmp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.ConnectionRefusedSocketException;

class UnixSocketTransportTest {

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
