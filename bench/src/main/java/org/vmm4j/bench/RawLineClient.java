package org.vmm4j.bench;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The hotplug benchmarks' baseline: a blocking QMP client on a plain JDK socket that sends prepared
 * command lines (the bytes vmm4j sends with the next id, or another client's lines byte for byte),
 * waits for the reply and, for {@code device_del}, for the {@code DEVICE_DELETED} naming the
 * device. No JSON library: replies and events are recognised by substrings.
 */
final class RawLineClient implements AutoCloseable {
  private final SocketChannel channel;
  private final ByteBuffer in = ByteBuffer.allocate(1 << 20);
  private long nextId = 1000;

  private RawLineClient(SocketChannel channel) {
    this.channel = channel;
    in.flip();
  }

  static RawLineClient connect(Path socket) throws IOException {
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    ch.connect(UnixDomainSocketAddress.of(socket));
    RawLineClient c = new RawLineClient(ch);
    if (!c.readLine().startsWith("{\"QMP\"")) {
      throw new IOException("no QMP greeting");
    }
    c.send("{\"execute\":\"qmp_capabilities\"", null);
    return c;
  }

  /**
   * Sends {@code prefix} (a command line without its {@code ,"id":N}} end) with the next id and
   * waits for the reply; with {@code deletedDevice} also for its {@code DEVICE_DELETED}.
   */
  void send(String prefix, String deletedDevice) throws IOException {
    long id = nextId++;
    exchange(prefix + ",\"id\":" + id + "}\n", "\"id\": " + id + "}", deletedDevice);
  }

  /**
   * Sends {@code line} byte for byte (plus its {@code \n}), as a client without ids does (Kata's
   * govmm: one command at a time, the next reply is its reply), and waits for the reply; with
   * {@code deletedDevice} also for its {@code DEVICE_DELETED}.
   */
  void sendLine(String line, String deletedDevice) throws IOException {
    exchange(line + "\n", null, deletedDevice);
  }

  /** Writes {@code text}; waits for the reply ending with {@code idEnd} (any reply when null). */
  private void exchange(String text, String idEnd, String deletedDevice) throws IOException {
    ByteBuffer out = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    while (out.hasRemaining()) {
      channel.write(out);
    }
    String deviceMember = deletedDevice == null ? null : "\"device\": \"" + deletedDevice + "\"";
    boolean replied = false;
    boolean deleted = deletedDevice == null;
    while (!replied || !deleted) {
      String line = readLine();
      if (line.startsWith("{\"timestamp\"")) {
        deleted |=
            deviceMember != null && line.contains("DEVICE_DELETED") && line.contains(deviceMember);
      } else if (idEnd == null ? isReply(line) : line.endsWith(idEnd)) {
        if (line.startsWith("{\"error\"")) {
          throw new IOException("QEMU refused: " + line);
        }
        replied = true;
      } else {
        throw new IOException("unexpected line: " + line);
      }
    }
  }

  private static boolean isReply(String line) {
    return line.startsWith("{\"return\"") || line.startsWith("{\"error\"");
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
