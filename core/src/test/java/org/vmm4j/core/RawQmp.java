package org.vmm4j.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The smallest QMP client the acceptance test needs (the real one lives in {@code qmp}): connect,
 * read the greeting, send a command, read lines until the reply ({@code return} or {@code error};
 * events are skipped). No timeouts of its own: the caller bounds the whole exchange.
 */
final class RawQmp implements AutoCloseable {
  private final SocketChannel channel;
  private final BufferedReader in;
  private final OutputStream out;
  private final String greeting;

  private RawQmp(SocketChannel channel) throws IOException {
    this.channel = channel;
    this.in =
        new BufferedReader(
            new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
    this.out = Channels.newOutputStream(channel);
    this.greeting = in.readLine();
  }

  static RawQmp connect(Path socket) throws IOException {
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      ch.connect(UnixDomainSocketAddress.of(socket));
      return new RawQmp(ch);
    } catch (IOException e) {
      ch.close();
      throw e;
    }
  }

  String greeting() {
    return greeting;
  }

  /** Sends {@code {"execute":"<command>"}} and returns the reply line (null on EOF). */
  String execute(String command) throws IOException {
    out.write(("{\"execute\":\"" + command + "\"}\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
    String line;
    while ((line = in.readLine()) != null) {
      if (line.startsWith("{\"return\"") || line.startsWith("{\"error\"")) {
        return line;
      }
    }
    return null;
  }

  /** Reads until QEMU closes the connection (a reset after {@code quit} counts as closed). */
  void drain() throws IOException {
    try {
      while (in.readLine() != null) {
        // events after quit
      }
    } catch (SocketException e) {
      // QEMU exits without reading what is left: EOF while quitting is success.
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
