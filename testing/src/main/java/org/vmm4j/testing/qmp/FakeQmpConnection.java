package org.vmm4j.testing.qmp;

import static org.vmm4j.testing.qmp.FakeQmpMessages.MAPPER;
import static org.vmm4j.testing.qmp.FakeQmpMessages.error;
import static org.vmm4j.testing.qmp.FakeQmpMessages.reply;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.newsclub.net.unix.AFUNIXSocket;
import tools.jackson.databind.JsonNode;

/**
 * One client of a {@link FakeQmpServer}: parses its lines (with the descriptors that came before
 * each line's end), records them, negotiates like QEMU and runs the scripts.
 */
final class FakeQmpConnection {
  /** The longest command line accepted (QEMU's own limit is far above anything a test sends). */
  private static final int MAX_LINE = 64 * 1024 * 1024;

  /** The most one read asks for: junixsocket's read cost grows with the length asked for. */
  private static final int MAX_READ = 16 * 1024;

  private final FakeQmpServer server;
  private final AFUNIXSocket socket;
  private final OutputStream out;
  private final FdTrackingStream in;
  private long consumed;
  private boolean negotiated;

  FakeQmpConnection(
      FakeQmpServer server, AFUNIXSocket socket, OutputStream out, FdTrackingStream in) {
    this.server = server;
    this.socket = socket;
    this.out = out;
    this.in = in;
  }

  /**
   * Reads {@code \n}-terminated lines until end of stream and handles each. The splitting is this
   * fake's own, not vmm4j-qmp's, so a bug in the client's line handling cannot hide in both ends.
   *
   * @throws IOException on a read error, or a line longer than {@link #MAX_LINE} bytes
   */
  void readLines(InputStream stream) throws IOException {
    byte[] buf = new byte[MAX_READ];
    int start = 0;
    int end = 0;
    int scanned = 0;
    while (true) {
      int nl = indexOfNewline(buf, scanned, end);
      if (nl >= 0) {
        onLine(buf, start, nl - start);
        start = nl + 1;
        scanned = start;
        continue;
      }
      scanned = end;
      if (end - start > MAX_LINE) {
        throw new IOException("fake QMP server: a line longer than " + MAX_LINE + " bytes");
      }
      if (end == buf.length) {
        System.arraycopy(buf, start, buf, 0, end - start);
        end -= start;
        scanned -= start;
        start = 0;
        if (end > buf.length - MAX_READ) {
          buf = Arrays.copyOf(buf, buf.length * 2);
        }
      }
      int n = stream.read(buf, end, Math.min(buf.length - end, MAX_READ));
      if (n < 0) {
        return;
      }
      end += n;
    }
  }

  private static int indexOfNewline(byte[] buf, int from, int to) {
    for (int i = from; i < to; i++) {
      if (buf[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private void onLine(byte[] buf, int off, int len) throws IOException {
    long start = consumed;
    consumed += len + 1;
    String line = new String(buf, off, len, StandardCharsets.UTF_8).strip();
    List<FileDescriptor> fds = in.fdsArrivedBefore(consumed);
    if (line.isEmpty()) {
      return;
    }
    JsonNode msg;
    try {
      msg = MAPPER.readTree(line);
    } catch (RuntimeException e) {
      server.record().problem("malformed command at byte " + start + ": " + line);
      server.write(out, error("GenericError", "JSON parse error, expecting value", null));
      return;
    }
    ReceivedQmpCommand cmd = ReceivedQmpCommand.parse(msg, line, fds);
    server.record().add(cmd);
    respond(cmd);
  }

  private void respond(ReceivedQmpCommand cmd) throws IOException {
    FakeQmpScript script = server.pick(cmd);
    boolean caps = "qmp_capabilities".equals(cmd.name());
    if (script == null && caps && !negotiated) {
      negotiated = true;
      server.write(out, reply(MAPPER.createObjectNode(), cmd.id()));
      return;
    }
    if (server.requiresNegotiation() && !negotiated && !caps) {
      server.write(
          out,
          error(
              "CommandNotFound",
              "Expecting capabilities negotiation with 'qmp_capabilities'",
              cmd.id()));
      return;
    }
    if (script == null) {
      if (server.strict()) {
        server.record().problem("unexpected command: " + cmd.line());
      }
      server.write(
          out,
          error("CommandNotFound", "The command " + cmd.name() + " has not been found", cmd.id()));
      return;
    }
    negotiated |= caps;
    run(script, cmd);
  }

  private void run(FakeQmpScript script, ReceivedQmpCommand cmd) throws IOException {
    for (FakeQmpScript.Step step : script.stepsForNextCall()) {
      if (step instanceof FakeQmpScript.Send s) {
        String line;
        try {
          line = s.line().apply(cmd);
        } catch (FakeQmpError e) {
          server.write(out, error(e.errorClass(), e.desc(), cmd.id()));
          return;
        }
        server.write(out, line);
      } else if (step instanceof FakeQmpScript.Sleep s) {
        sleep(s.duration());
      } else if (step instanceof FakeQmpScript.Hangup) {
        socket.close();
        return;
      } else {
        throw new AssertionError(step);
      }
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
