package org.vmm4j.qmp;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.vmm4j.qmp.transport.UnixSocketTransport;

/**
 * One connect to one QMP socket: the socket connected (retried while QEMU's listen backlog is
 * full), QEMU serving it (the first bytes of its greeting), the rest of the handshake, a client.
 * Runs on the caller's thread ({@link QmpClient#connect}), or on a thread of its own in a {@link
 * ConnectRace}, which may end it ({@link #cancel}).
 */
final class Connect {
  private final Path socket;
  private final QmpOptions options;
  private final long deadline;
  private final boolean alone;
  private final Predicate<Connect> mayGoOn;
  private final Runnable changed;
  private final CompletableFuture<QmpClient> result = new CompletableFuture<>();
  private volatile long connectedAt;
  private volatile long waitingSince;
  private volatile boolean served;
  private volatile boolean cancelled;
  private volatile UnixSocketTransport transport;
  private volatile Session session;
  private volatile Thread thread;

  /**
   * @param deadline connect(2) by then; in a race also QEMU serving the connection
   * @param alone QEMU has {@link QmpOptions#connectTimeout()} from the moment the socket connected
   *     to serve it, instead of {@code deadline}
   * @param mayGoOn asked once QEMU serves the connection: false ends this attempt
   * @param changed told when the attempt starts waiting (its socket connected, or found QEMU's
   *     listen backlog full), when QEMU served it, and at the end
   */
  Connect(
      Path socket,
      QmpOptions options,
      long deadline,
      boolean alone,
      Predicate<Connect> mayGoOn,
      Runnable changed) {
    this.socket = socket;
    this.options = options;
    this.deadline = deadline;
    this.alone = alone;
    this.mayGoOn = mayGoOn;
    this.changed = changed;
  }

  /** {@link QmpClient#connect(Path, QmpOptions)}, on the calling thread. */
  static QmpClient alone(Path socket, QmpOptions options) {
    long deadline = System.nanoTime() + options.connectTimeout().toNanos();
    return new Connect(socket, options, deadline, true, a -> true, () -> {}).run();
  }

  Path socket() {
    return socket;
  }

  CompletableFuture<QmpClient> result() {
    return result;
  }

  /**
   * Since when this attempt waits for QEMU ({@link System#nanoTime()}): since its socket connected,
   * or since it found QEMU's listen backlog full; 0 while it has not got that far (this JVM is slow
   * to get there).
   */
  long waitingSince() {
    return waitingSince;
  }

  /**
   * Whether QEMU sent anything on this connection (it serves it), read or still in the socket:
   * judged from the socket, not from how far this attempt's thread got.
   */
  boolean heardFrom() {
    Session s = session;
    UnixSocketTransport t = transport;
    return served || (s != null && s.reader().received() > 0) || (t != null && t.available() > 0);
  }

  boolean cancelled() {
    return cancelled;
  }

  /** Runs {@link #run()} on a daemon thread of its own. */
  void start() {
    Thread t = new Thread(this::runQuietly, "qmp-connect " + socket.getFileName());
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  /**
   * Ends the attempt: its connection is closed (a wait for QEMU ends at once), its thread
   * interrupted (a wait for room in the listen backlog ends).
   */
  void cancel() {
    cancelled = true;
    Session s = session;
    if (s != null) {
      s.close();
    }
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }

  /** Connects; the outcome is also {@link #result()}'s. */
  QmpClient run() {
    try {
      QmpClient c = attempt();
      if (!result.complete(c)) {
        c.close();
      }
      return c;
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
      throw e;
    } finally {
      changed.run();
    }
  }

  private void runQuietly() {
    try {
      run();
    } catch (RuntimeException e) {
      // in result()
    }
  }

  private QmpClient attempt() {
    UnixSocketTransport connected = openTransport();
    connectedAt = System.nanoTime();
    Session s = new Session(connected, options);
    transport = connected;
    session = s;
    try {
      if (cancelled) {
        throw new QmpInterruptedException("connect QMP " + socket, null);
      }
      startWaiting(connectedAt);
      Duration timeout = options.connectTimeout();
      Handshake.awaitServed(s, alone ? connectedAt + timeout.toNanos() : deadline, timeout);
      served = true;
      changed.run();
      if (!mayGoOn.test(this)) {
        cancelled = true; // another socket was served first: not a failure of this one
        throw new QmpInterruptedException("connect QMP " + socket + ": another socket won", null);
      }
      return handshake(s, connected);
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /** Once QEMU serves the connection: greeting and negotiation within a command's deadline. */
  private QmpClient handshake(Session s, UnixSocketTransport transport) {
    Duration timeout = options.commandTimeout();
    long by = System.nanoTime() + timeout.toNanos();
    QmpGreeting greeting = Handshake.awaitGreeting(s, timeout, by);
    boolean oob = options.oob() && greeting.capabilities().contains("oob");
    Command<Void> caps = new QmpCapabilities(oob ? List.of("oob") : List.of());
    Handshake.negotiate(s, caps, timeout, by);
    if (oob) {
      s.limitInFlight(QmpOptions.OOB_MAX_IN_FLIGHT);
    }
    s.startReading();
    return new QmpClient(s, options, greeting, oob, transport.peerPid());
  }

  private void startWaiting(long since) {
    if (waitingSince == 0) {
      waitingSince = since;
      changed.run();
    }
  }

  private UnixSocketTransport openTransport() {
    Duration timeout = options.connectTimeout();
    try {
      return UnixSocketTransport.connect(
          socket,
          Duration.ofNanos(Math.max(0, deadline - System.nanoTime())),
          () -> startWaiting(System.nanoTime()));
    } catch (UnixSocketTransport.BacklogFullException e) {
      throw new QmpConnectTimeoutException(
          "connect QMP "
              + socket
              + ": QEMU did not accept the connection within "
              + Durations.format(timeout)
              + " (its listen backlog is full: is QEMU stopped, or are other clients waiting?)",
          timeout,
          e);
    } catch (InterruptedIOException e) {
      throw new QmpInterruptedException("connect QMP " + socket, e);
    } catch (IOException e) {
      throw new QmpConnectionException("connect QMP " + socket + ": " + e.getMessage(), e);
    }
  }
}
