package org.vmm4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A console socket server like QEMU's chardev: one client at a time. It answers the test agent's
 * way, a line at a time: {@code ping} with {@code pong} and {@code @@END@@ 0}, {@code slow} the
 * same after 400 ms, {@code bye} by closing the connection; it records everything it received.
 * {@link #holding()} listens but never accepts (a client ahead of you holds the console).
 */
final class FakeConsole implements AutoCloseable {
  private final ServerSocketChannel server;
  private final Thread thread;
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();

  private FakeConsole(Path sock, boolean accept) throws IOException {
    Files.createDirectories(sock.getParent());
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(sock), 1);
    thread = new Thread(this::serve, "fake-console");
    thread.setDaemon(true);
    if (accept) {
      thread.start();
    }
  }

  static FakeConsole answering(Path sock) throws IOException {
    return new FakeConsole(sock, true);
  }

  static FakeConsole holding(Path sock) throws IOException {
    return new FakeConsole(sock, false);
  }

  String received() {
    synchronized (received) {
      return received.toString(StandardCharsets.UTF_8);
    }
  }

  private void serve() {
    while (server.isOpen()) {
      try (SocketChannel c = server.accept()) {
        converse(c);
      } catch (IOException e) {
        // closed, or the client went away: accept the next one
      }
    }
  }

  private void converse(SocketChannel c) throws IOException {
    StringBuilder line = new StringBuilder();
    ByteBuffer buf = ByteBuffer.allocate(1024);
    while (c.read(buf.clear()) >= 0) {
      synchronized (received) {
        received.write(buf.array(), 0, buf.position());
      }
      for (int i = 0; i < buf.position(); i++) {
        char ch = (char) buf.get(i);
        if (ch != '\n') {
          line.append(ch);
          continue;
        }
        String cmd = line.toString().strip();
        line.setLength(0);
        if (cmd.equals("bye")) {
          return;
        }
        answer(c, cmd);
      }
    }
  }

  private static void answer(SocketChannel c, String cmd) throws IOException {
    if (cmd.equals("slow")) {
      try {
        Thread.sleep(400);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (cmd.equals("ping") || cmd.equals("slow")) {
      c.write(ByteBuffer.wrap("pong\n@@END@@ 0\n".getBytes(StandardCharsets.UTF_8)));
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
