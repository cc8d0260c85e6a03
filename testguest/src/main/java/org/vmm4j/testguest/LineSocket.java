package org.vmm4j.testguest;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Lines over a unix socket with a deadline on every read and write (a non-blocking channel and a
 * selector). Keeps the last lines it read for error messages. Not thread-safe: one owner.
 */
final class LineSocket implements AutoCloseable {
  static final int MAX_LINE = 1 << 20;
  private static final int KEEP = 12;

  private final SocketChannel ch;
  private final Selector selector;
  private final ByteBuffer in = ByteBuffer.allocate(1 << 16);
  private final StringBuilderBytes pending = new StringBuilderBytes();
  private final Deque<String> recent = new ArrayDeque<>();

  private LineSocket(SocketChannel ch, Selector selector) {
    this.ch = ch;
    this.selector = selector;
  }

  /** Connects (a refused or missing socket throws at once: the caller retries). */
  static LineSocket connect(Path socket) throws IOException {
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ch.configureBlocking(false);
      Selector sel = Selector.open();
      return new LineSocket(ch, sel);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** The next line (without CR/LF), or null when the deadline passes first. */
  String readLine(long deadlineNanos) throws IOException {
    while (true) {
      String line = pending.takeLine();
      if (line != null) {
        remember(line);
        return line;
      }
      if (pending.size() > MAX_LINE) {
        throw new IOException("a line longer than " + MAX_LINE + " bytes");
      }
      in.clear();
      int n = ch.read(in);
      if (n < 0) {
        throw new IOException("connection closed by the other side (did QEMU exit?)");
      }
      if (n > 0) {
        pending.append(in.array(), n);
        continue;
      }
      if (!await(SelectionKey.OP_READ, deadlineNanos)) {
        return null;
      }
    }
  }

  /** Writes all of {@code s}; false when the deadline passes first. */
  boolean write(String s, long deadlineNanos) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    while (b.hasRemaining()) {
      if (ch.write(b) == 0 && !await(SelectionKey.OP_WRITE, deadlineNanos)) {
        return false;
      }
    }
    return true;
  }

  /** The last lines read, and any unterminated rest, for an error message. */
  String recent() {
    StringBuilder sb = new StringBuilder();
    for (String l : recent) {
      sb.append(l).append(" | ");
    }
    sb.append(pending.peek());
    String s = sb.toString().strip();
    return s.isEmpty() ? "(nothing)" : s;
  }

  private boolean await(int op, long deadlineNanos) throws IOException {
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      return false;
    }
    SelectionKey key = ch.register(selector, op);
    try {
      return selector.select(Math.max(1, left / 1_000_000)) > 0
          || System.nanoTime() < deadlineNanos;
    } finally {
      key.interestOps(0);
      selector.selectedKeys().clear();
    }
  }

  private void remember(String line) {
    recent.addLast(line.length() > 200 ? line.substring(0, 200) + "..." : line);
    while (recent.size() > KEEP) {
      recent.removeFirst();
    }
  }

  @Override
  public void close() {
    try {
      selector.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    try {
      ch.close();
    } catch (IOException ignored) {
      // nothing left to do
    }
  }

  /** A growable byte buffer split at '\n'. */
  private static final class StringBuilderBytes {
    private byte[] buf = new byte[1024];
    private int len;

    void append(byte[] b, int n) {
      if (len + n > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
      }
      System.arraycopy(b, 0, buf, len, n);
      len += n;
    }

    int size() {
      return len;
    }

    String takeLine() {
      for (int i = 0; i < len; i++) {
        if (buf[i] == '\n') {
          int end = i > 0 && buf[i - 1] == '\r' ? i - 1 : i;
          String s = new String(buf, 0, end, StandardCharsets.UTF_8);
          System.arraycopy(buf, i + 1, buf, 0, len - i - 1);
          len -= i + 1;
          return s;
        }
      }
      return null;
    }

    String peek() {
      return new String(buf, 0, Math.min(len, 200), StandardCharsets.UTF_8);
    }
  }
}
