package org.vmm4j.testing.qmp;

import static org.vmm4j.testing.qmp.FakeQmpMessages.event;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import tools.jackson.databind.JsonNode;

/**
 * A QMP server on a real unix socket that behaves like QEMU's monitor where it matters (greeting,
 * negotiation, one client at a time, one command at a time) and does what the test scripts:
 *
 * <pre>{@code
 * try (FakeQmpServer fake = FakeQmpServer.start().failOnUnexpectedCommands()) {
 *   fake.on("blockdev-add");                                   // replies {}
 *   fake.on("device_add").reply("{}").next().error("GenericError", "no more");  // 1st ok, then not
 *   fake.on("device_del").replyThenEvent("{}", "DEVICE_DELETED", "{\"device\":\"blk0\"}");
 *   ... code under test connects to fake.socketPath() ...
 *   assertThat(fake.commandNames()).containsExactly("qmp_capabilities", "blockdev-add", ...);
 * }
 * }</pre>
 *
 * It records every command (parsed, with the file descriptors that came with it). Commands without
 * a script get QEMU's {@code CommandNotFound}; with {@link #failOnUnexpectedCommands()} they also
 * fail the test in {@link #verify()} and {@link #close()}.
 */
public final class FakeQmpServer implements AutoCloseable {
  private static final String DEFAULT_GREETING =
      "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7},"
          + " \"package\": \"fake\"}, \"capabilities\": [\"oob\"]}}";

  private final Path socketPath;
  private final Path dir;
  private final AFUNIXServerSocket server;
  private final Thread acceptor;
  private final List<FakeQmpScript> scripts = new CopyOnWriteArrayList<>();
  private final FakeQmpRecord record = new FakeQmpRecord();
  private final List<String> beforeGreeting = new CopyOnWriteArrayList<>();
  private final Object writeLock = new Object();
  private volatile String greeting = DEFAULT_GREETING;
  private volatile Duration greetingDelay = Duration.ZERO;
  private volatile int greetingSplit;
  private volatile Duration greetingPause = Duration.ZERO;
  private volatile boolean strict;
  private volatile boolean requireNegotiation = true;
  private volatile AFUNIXSocket client;
  private volatile boolean closed;
  private int connections;

  private FakeQmpServer(Path dir, Path socketPath) throws IOException {
    this.dir = dir;
    this.socketPath = socketPath;
    this.server = AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.of(socketPath));
    this.acceptor = new Thread(this::acceptLoop, "fake-qmp " + socketPath.getFileName());
    this.acceptor.setDaemon(true);
  }

  /** Starts a server on {@code qmp.sock} in a new temporary directory. */
  public static FakeQmpServer start() {
    try {
      Path dir = Files.createTempDirectory("fakeqmp");
      return start(dir, dir.resolve("qmp.sock"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a server listening on {@code socketPath} (which must not exist). */
  public static FakeQmpServer start(Path socketPath) {
    return start(null, socketPath);
  }

  private static FakeQmpServer start(Path dir, Path socketPath) {
    try {
      FakeQmpServer s = new FakeQmpServer(dir, socketPath);
      s.acceptor.start();
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses JSON text, for scripts and assertions. */
  public static JsonNode json(String json) {
    return FakeQmpMessages.json(json);
  }

  public Path socketPath() {
    return socketPath;
  }

  // ---- configuration -------------------------------------------------------------------------

  /** Replaces the greeting line (sent to each new client). */
  public FakeQmpServer greeting(String line) {
    this.greeting = line;
    return this;
  }

  /** Sends no greeting at all, like a QEMU whose socket another client holds. */
  public FakeQmpServer noGreeting() {
    this.greeting = null;
    return this;
  }

  /**
   * Greets each client only after {@code delay}, like a QEMU whose socket another client holds
   * until then.
   */
  public FakeQmpServer greetAfter(Duration delay) {
    this.greetingDelay = delay;
    return this;
  }

  /**
   * Sends the first {@code bytes} of the greeting at once and the rest after {@code pause}: QEMU
   * serves the client from the first byte on, however late the whole line is read.
   */
  public FakeQmpServer splitGreeting(int bytes, Duration pause) {
    this.greetingSplit = bytes;
    this.greetingPause = pause;
    return this;
  }

  /** Sends an event before the greeting (QEMU 4.0-rc did, and broke clients). */
  public FakeQmpServer eventBeforeGreeting(String name, String dataJson) {
    beforeGreeting.add(event(name, dataJson));
    return this;
  }

  /** Accept any command before {@code qmp_capabilities} (QEMU refuses them). */
  public FakeQmpServer withoutNegotiation() {
    this.requireNegotiation = false;
    return this;
  }

  /** Commands without a script fail the test (in {@link #verify()} and {@link #close()}). */
  public FakeQmpServer failOnUnexpectedCommands() {
    this.strict = true;
    return this;
  }

  /** A script for {@code command}; the last one registered for a command wins. */
  public FakeQmpScript on(String command) {
    return on(command, c -> true);
  }

  /** A script for the {@code command}s that match {@code when}, e.g. on an argument. */
  public FakeQmpScript on(String command, Predicate<ReceivedQmpCommand> when) {
    FakeQmpScript s = new FakeQmpScript(command, when);
    scripts.add(s);
    return s;
  }

  /**
   * Scripts a small device model: {@code device_add} adds its id (a duplicate is QEMU's
   * GenericError), {@code device_del} removes it ({@link FakeQmpScript#replyThenDeviceDeleted()};
   * DeviceNotFound when absent) and {@code qom-list /machine/peripheral} lists the ids as {@code
   * child<driver>}. Register scripts after this call to override parts of it.
   */
  public FakeQmpServer emulateDevices() {
    FakeDeviceModel.install(this);
    return this;
  }

  // ---- acting now ------------------------------------------------------------------------------

  /** Sends an event to the connected client now. */
  public void sendEvent(String name, String dataJson) {
    sendRaw(event(name, dataJson));
  }

  /** Sends a line to the connected client now. */
  public void sendRaw(String line) {
    AFUNIXSocket c = client;
    if (c == null) {
      throw new IllegalStateException("no client is connected to " + socketPath);
    }
    try {
      write(c.getOutputStream(), line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Closes the connection of the current client (it sees EOF). */
  public void disconnectClient() {
    AFUNIXSocket c = client;
    if (c != null) {
      closeQuietly(c);
    }
  }

  // ---- what happened -------------------------------------------------------------------------

  /** Every command received so far, in order. */
  public List<ReceivedQmpCommand> received() {
    return record.received();
  }

  /** The commands named {@code name} received so far. */
  public List<ReceivedQmpCommand> received(String name) {
    return received().stream().filter(c -> c.name().equals(name)).toList();
  }

  /** The names of the commands received so far, in order. */
  public List<String> commandNames() {
    return received().stream().map(ReceivedQmpCommand::name).toList();
  }

  /** Waits until a command named {@code name} was received and returns the first one. */
  public ReceivedQmpCommand awaitCommand(String name, Duration timeout) {
    return record.await(name, timeout);
  }

  /** How many clients have connected so far. */
  public synchronized int connections() {
    return connections;
  }

  /** Throws when commands came that no script expected (strict mode) or the server failed. */
  public void verify() {
    record.verify(socketPath);
  }

  /** Stops the server, closes the client and received descriptors, then {@link #verify()}. */
  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    disconnectClient();
    acceptor.interrupt();
    try {
      acceptor.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (ReceivedQmpCommand c : received()) {
      c.fds().forEach(FdTrackingStream::close);
    }
    try {
      Files.deleteIfExists(socketPath);
      if (dir != null) {
        Files.deleteIfExists(dir);
      }
    } catch (IOException e) {
      // a leftover temp file is harmless
    }
    verify();
  }

  // ---- serving (package-private: FakeQmpConnection) -----------------------------------------

  FakeQmpRecord record() {
    return record;
  }

  boolean strict() {
    return strict;
  }

  boolean requiresNegotiation() {
    return requireNegotiation;
  }

  // ---- serving ---------------------------------------------------------------------------------

  private void acceptLoop() {
    while (!closed) {
      try (AFUNIXSocket c = server.accept()) {
        synchronized (this) {
          connections++;
        }
        client = c;
        serve(c);
      } catch (IOException e) {
        if (!closed) {
          // a client hung up or was disconnected: wait for the next one
          continue;
        }
      } finally {
        client = null;
      }
    }
  }

  private void serve(AFUNIXSocket c) throws IOException {
    c.setAncillaryReceiveBufferSize(4096);
    OutputStream out = c.getOutputStream();
    for (String e : beforeGreeting) {
      write(out, e);
    }
    String g = greeting;
    if (g != null) {
      pause(greetingDelay);
      byte[] line = (g.endsWith("\n") ? g : g + "\r\n").getBytes(StandardCharsets.UTF_8);
      int first = Math.min(greetingSplit, line.length);
      synchronized (writeLock) {
        out.write(line, 0, first);
        out.flush();
      }
      pause(greetingPause);
      synchronized (writeLock) {
        out.write(line, first, line.length - first);
        out.flush();
      }
    }
    FdTrackingStream in = new FdTrackingStream(c);
    FakeQmpConnection conn = new FakeQmpConnection(this, c, out, in);
    conn.readLines(in);
  }

  private static void pause(Duration d) throws IOException {
    if (d.isZero()) {
      return;
    }
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("the fake closed");
    }
  }

  /** The script that answers {@code cmd}: the last one registered that matches. */
  FakeQmpScript pick(ReceivedQmpCommand cmd) {
    for (int i = scripts.size() - 1; i >= 0; i--) {
      FakeQmpScript s = scripts.get(i);
      if (s.command.equals(cmd.name()) && s.when.test(cmd)) {
        return s;
      }
    }
    return null;
  }

  /** Writes one line (CRLF added unless present), whole, to a client. */
  void write(OutputStream out, String line) throws IOException {
    byte[] b = (line.endsWith("\n") ? line : line + "\r\n").getBytes(StandardCharsets.UTF_8);
    synchronized (writeLock) {
      out.write(b);
      out.flush();
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing
    }
  }
}
