package org.vmm4j.testguest;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scriptable stand-in for the guest agent on a unix socket, speaking the agent's protocol: {@code
 * hello N} is answered {@code READY 1.00 N}; a command is answered with its scripted output and
 * {@code @@END@@ rc}. It can behave like a tty (echo what it reads, greet before the client's
 * hello), glue the marker to unterminated output, interleave stray lines, stall, or stay silent.
 */
public final class FakeAgent implements AutoCloseable {
  /** A scripted answer: raw text to send (newlines included) before the marker, and the rc. */
  public record Answer(String raw, int rc, long delayMillis) {
    public static Answer lines(int rc, String... lines) {
      StringBuilder sb = new StringBuilder();
      for (String l : lines) {
        sb.append(l).append('\n');
      }
      return new Answer(sb.toString(), rc, 0);
    }
  }

  private final Path path;
  private final ServerSocketChannel server;
  private final Thread thread;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile boolean silent;
  private volatile boolean echo;
  private volatile String greeting = "";
  private volatile SocketChannel current;

  private FakeAgent(Path path) throws IOException {
    this.path = path;
    Files.deleteIfExists(path);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    answers.put("ping", Answer.lines(0, "pong"));
    thread = new Thread(this::serve, "fake-agent " + path.getFileName());
    thread.setDaemon(true);
    thread.start();
  }

  public static FakeAgent start(Path socket) throws IOException {
    return new FakeAgent(socket);
  }

  public Path socket() {
    return path;
  }

  /** Scripts the answer to the exact command line {@code command}. */
  public FakeAgent on(String command, Answer a) {
    answers.put(command, a);
    return this;
  }

  /** Never answers anything (a guest that does not run). */
  public FakeAgent silent(boolean s) {
    silent = s;
    return this;
  }

  /** Echoes every line it reads, as a tty before {@code stty -echo} does. */
  public FakeAgent echo(boolean e) {
    echo = e;
    return this;
  }

  /** Sent to every new connection before anything else (boot messages, an old READY). */
  public FakeAgent greeting(String raw) {
    greeting = raw;
    return this;
  }

  /** Every line received, in order, over all connections. */
  public List<String> received() {
    return received;
  }

  public int connections() {
    return connections.get();
  }

  private void serve() {
    while (server.isOpen()) {
      try (SocketChannel c = server.accept()) {
        current = c;
        connections.incrementAndGet();
        handle(c);
      } catch (IOException e) {
        // client gone or server closed: accept the next one
      }
    }
  }

  private void handle(SocketChannel c) throws IOException {
    send(c, greeting);
    StringBuilder line = new StringBuilder();
    ByteBuffer b = ByteBuffer.allocate(4096);
    while (c.read(b.clear()) > 0) {
      for (char ch : StandardCharsets.UTF_8.decode(b.flip()).toString().toCharArray()) {
        if (ch != '\n') {
          line.append(ch);
          continue;
        }
        String l = line.toString();
        line.setLength(0);
        received.add(l);
        if (echo) {
          send(c, l + "\n");
        }
        if (!silent) {
          answer(c, l);
        }
      }
    }
  }

  private void answer(SocketChannel c, String l) throws IOException {
    if (l.isEmpty()) {
      return;
    }
    if (l.startsWith("hello ")) {
      send(c, "READY 1.00 " + l.substring(6) + "\n");
      return;
    }
    Answer a = answers.getOrDefault(l, Answer.lines(127, "unknown command: " + l));
    if (a.delayMillis() > 0) {
      try {
        Thread.sleep(a.delayMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    send(c, a.raw() + "@@END@@ " + a.rc() + "\n");
  }

  private static void send(SocketChannel c, String s) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    while (b.hasRemaining()) {
      c.write(b);
    }
  }

  /** Closes the current connection (as QEMU does when it exits). */
  public void dropConnection() throws IOException {
    SocketChannel c = current;
    if (c != null) {
      c.close();
    }
  }

  @Override
  public void close() throws IOException {
    dropConnection();
    server.close();
    thread.interrupt();
    Files.deleteIfExists(path);
  }
}
