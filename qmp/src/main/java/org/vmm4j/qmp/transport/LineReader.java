package org.vmm4j.qmp.transport;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into {@code \n}-terminated lines without ever holding more than {@code
 * maxLineBytes} (+1) bytes of one line: a longer line fails with {@link LineTooLongException}
 * before it is buffered, so a huge message is an error, not an {@link OutOfMemoryError}.
 */
public final class LineReader {
  private static final int INITIAL_CAPACITY = 64 * 1024;

  /**
   * The most one read asks for. junixsocket's read costs grow with the length asked for (measured:
   * a 64 KiB read of a 40-byte reply costs ~17 us more than a 4 KiB one), and replies are small.
   */
  private static final int MAX_READ = 16 * 1024;

  /** Receives each line (without its {@code \n}); the array is reused after the call returns. */
  @FunctionalInterface
  public interface Sink {
    void line(byte[] buf, int offset, int length) throws IOException;
  }

  private final InputStream in;
  private final int maxLineBytes;
  private byte[] buf;
  private int start;
  private int end;
  private int scanned;
  private volatile long bytesRead;

  public LineReader(InputStream in, int maxLineBytes) {
    if (maxLineBytes < 1) {
      throw new IllegalArgumentException("maxLineBytes must be positive: " + maxLineBytes);
    }
    this.in = in;
    this.maxLineBytes = maxLineBytes;
    this.buf = new byte[Math.min(INITIAL_CAPACITY, maxLineBytes + 1)];
  }

  /**
   * Reads until end of stream, handing every complete line to {@code sink}. Returns the number of
   * bytes of an unterminated last line that were discarded at end of stream (0 normally).
   */
  public int run(Sink sink) throws IOException {
    while (readOnce(sink) >= 0) {
      // next read
    }
    return pendingBytes();
  }

  /**
   * Hands the complete lines already buffered to {@code sink}, then performs one read of the stream
   * (which may block, or time out with the stream's own exception) and hands over the lines it
   * completed. Returns the number of bytes read, or -1 at end of stream.
   */
  public int readOnce(Sink sink) throws IOException {
    drain(sink);
    checkLimit();
    makeRoom();
    int n = in.read(buf, end, Math.min(buf.length - end, MAX_READ));
    if (n < 0) {
      return -1;
    }
    bytesRead += n;
    end += n;
    drain(sink);
    checkLimit();
    return n;
  }

  /** Bytes read from the stream so far; any thread may ask. */
  public long bytesRead() {
    return bytesRead;
  }

  /** Bytes of an incomplete line held in the buffer. */
  public int pendingBytes() {
    return end - start;
  }

  private void drain(Sink sink) throws IOException {
    while (true) {
      int nl = indexOf((byte) '\n', start + scanned, end);
      if (nl < 0) {
        scanned = end - start;
        return;
      }
      int lineStart = start;
      start = nl + 1;
      scanned = 0;
      sink.line(buf, lineStart, nl - lineStart);
    }
  }

  private void checkLimit() throws LineTooLongException {
    if (end - start > maxLineBytes) {
      throw new LineTooLongException(maxLineBytes);
    }
  }

  private int indexOf(byte b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (buf[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /** Moves the pending partial line to the front, growing the buffer up to the limit + 1. */
  private void makeRoom() {
    int pending = end - start;
    if (start > 0 && (pending == 0 || end == buf.length)) {
      System.arraycopy(buf, start, buf, 0, pending);
      start = 0;
      end = pending;
    }
    if (end == buf.length) {
      int cap = (int) Math.min((long) maxLineBytes + 1, (long) buf.length * 2);
      buf = Arrays.copyOf(buf, Math.max(cap, buf.length + 1));
    }
  }

  /** A line exceeded the limit given to the reader. */
  public static final class LineTooLongException extends IOException {
    private final int limit;

    public LineTooLongException(int limit) {
      super("message longer than " + limit + " bytes");
      this.limit = limit;
    }

    public int limit() {
      return limit;
    }
  }
}
