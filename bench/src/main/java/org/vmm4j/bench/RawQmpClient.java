package org.vmm4j.bench;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The baseline: a minimal QMP client on a plain JDK unix socket, without a JSON library. It sends
 * exactly the bytes vmm4j sends ({@code {"execute":"query-status","id":N}\n}, ids from 2 after
 * {@code qmp_capabilities} with id 1), reads lines, skips events and checks only that the reply
 * carries the expected id. Single-threaded and blocking: the cheapest client possible.
 */
final class RawQmpClient implements AutoCloseable {
  private final SocketChannel channel;
  private final ByteBuffer in = ByteBuffer.allocate(1 << 20);
  private long nextId = 1;

  private RawQmpClient(SocketChannel channel) {
    this.channel = channel;
    in.flip();
  }

  /** Connects, reads the greeting and negotiates (id 1). */
  static RawQmpClient connect(Path socket) throws IOException {
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    ch.connect(UnixDomainSocketAddress.of(socket));
    RawQmpClient c = new RawQmpClient(ch);
    String greeting = c.readLine();
    if (!greeting.startsWith("{\"QMP\"")) {
      throw new IOException("not a QMP greeting: " + greeting);
    }
    c.call("qmp_capabilities");
    return c;
  }

  /** The command line for {@code name} with the next id, as vmm4j encodes it. */
  static byte[] line(String name, long id) {
    return ("{\"execute\":\"" + name + "\",\"id\":" + id + "}\n").getBytes(StandardCharsets.UTF_8);
  }

  /** Sends {@code name} (no arguments) and returns the reply line. */
  String call(String name) throws IOException {
    long id = nextId++;
    ByteBuffer out = ByteBuffer.wrap(line(name, id));
    while (out.hasRemaining()) {
      channel.write(out);
    }
    String idMember = "\"id\": " + id + "}";
    while (true) {
      String reply = readLine();
      if (reply.startsWith("{\"timestamp\"")) {
        continue; // an event
      }
      if (!reply.endsWith(idMember)) {
        throw new IOException("reply without id " + id + ": " + reply);
      }
      return reply;
    }
  }

  private String readLine() throws IOException {
    while (true) {
      for (int i = in.position(); i < in.limit(); i++) {
        if (in.get(i) == '\n') {
          int start = in.position();
          int end = i > start && in.get(i - 1) == '\r' ? i - 1 : i;
          String s = new String(in.array(), start, end - start, StandardCharsets.UTF_8);
          in.position(i + 1);
          return s;
        }
      }
      in.compact();
      if (channel.read(in) < 0) {
        throw new IOException("EOF");
      }
      in.flip();
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
