package org.vmm4j.testing.qmp;

import java.io.FileDescriptor;
import java.io.FilterInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.newsclub.net.unix.AFUNIXSocket;

/** Remembers at which stream offset file descriptors arrived (with the first byte after it). */
final class FdTrackingStream extends FilterInputStream {
  private final AFUNIXSocket socket;
  private final List<long[]> arrivals = new ArrayList<>();
  private final List<FileDescriptor[]> arrived = new ArrayList<>();
  private long offset;

  FdTrackingStream(AFUNIXSocket socket) throws IOException {
    super(socket.getInputStream());
    this.socket = socket;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    FileDescriptor[] fds = socket.getReceivedFileDescriptors();
    if (fds != null && fds.length > 0) {
      arrivals.add(new long[] {offset});
      arrived.add(fds);
    }
    offset += Math.max(0, n);
    return n;
  }

  /** The descriptors that arrived with bytes before {@code end}, removed from the list. */
  List<FileDescriptor> fdsArrivedBefore(long end) {
    List<FileDescriptor> out = new ArrayList<>();
    while (!arrivals.isEmpty() && arrivals.get(0)[0] < end) {
      arrivals.remove(0);
      out.addAll(Arrays.asList(arrived.remove(0)));
    }
    return out;
  }

  /** Closes a received descriptor. */
  static void close(FileDescriptor fd) {
    try {
      new java.io.FileInputStream(fd).close();
    } catch (IOException e) {
      // already closed
    }
  }
}
