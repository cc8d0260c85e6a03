package org.vmm4j.testing.qmp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;

/**
 * A unix socket that listens with a backlog of one (as QEMU's QMP sockets do), never accepts, and
 * whose backlog is full: what a stopped QEMU's socket looks like once two clients gave up on it. A
 * blocking {@code connect(2)} to it waits until the listener accepts or closes.
 */
public final class FullBacklogSocket implements AutoCloseable {
  /** More than any backlog of one takes: the fill stops at the first refusal. */
  private static final int MAX_FILL = 16;

  private final AFUNIXServerSocket server;
  private final List<AFUNIXSocketChannel> waiting = new ArrayList<>();

  private FullBacklogSocket(AFUNIXServerSocket server) {
    this.server = server;
  }

  /** Listens at {@code path} and fills the backlog with connections nobody accepts. */
  public static FullBacklogSocket at(Path path) {
    try {
      AFUNIXServerSocket server = AFUNIXServerSocket.newInstance();
      server.bind(AFUNIXSocketAddress.of(path), 1);
      FullBacklogSocket s = new FullBacklogSocket(server);
      s.fill(path);
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether a non-blocking connect to {@code path} finds the backlog full ({@code EAGAIN}). */
  public static boolean isFull(Path path) throws IOException {
    try (AFUNIXSocketChannel probe = AFUNIXSocketChannel.open()) {
      probe.configureBlocking(false);
      // junixsocket returns false for EAGAIN; a unix socket is connected at once otherwise
      return !probe.connect(AFUNIXSocketAddress.of(path));
    }
  }

  private void fill(Path path) throws IOException {
    for (int i = 0; i < MAX_FILL; i++) {
      AFUNIXSocketChannel c = AFUNIXSocketChannel.open();
      c.configureBlocking(false);
      if (!c.connect(AFUNIXSocketAddress.of(path))) {
        c.close();
        return;
      }
      waiting.add(c);
    }
    throw new IllegalStateException(path + ": the backlog took " + MAX_FILL + " connections");
  }

  /** How many connections wait in the backlog. */
  public int waiting() {
    return waiting.size();
  }

  /** Accepts one waiting connection (and closes it), which makes room for one more. */
  public void acceptOne() throws IOException {
    try (AFUNIXSocket accepted = server.accept()) {
      accepted.getInputStream(); // nothing to do with it
    }
  }

  @Override
  public void close() {
    try {
      server.close();
      for (AFUNIXSocketChannel c : waiting) {
        c.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
