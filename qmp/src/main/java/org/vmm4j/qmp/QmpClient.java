package org.vmm4j.qmp;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.vmm4j.qmp.transport.UnixSocketTransport;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A QMP connection to one QEMU. Thread-safe: any number of threads may call at once. Replies are
 * routed by id, so a reply is never handed to the wrong caller, also after a timeout; one thread
 * reads at a time (the connection's reader thread, or a caller blocked in {@link #call} reading its
 * own reply, which saves a thread hand-off per command). Every call has a deadline ({@link
 * QmpOptions#commandTimeout()} unless given); so does every wait for an event.
 *
 * <pre>{@code
 * try (QmpClient qmp = QmpClient.connect(socket)) {
 *   qmp.call(new BlockdevAdd(options));
 *   qmp.call(new DeviceAdd("virtio-blk-pci", "blk0", props));
 *   qmp.deviceDel("blk0"); // waits for DEVICE_DELETED
 * }
 * }</pre>
 *
 * QEMU serves one client per socket: while another client holds it, {@link #connect} gets no
 * greeting and fails after its deadline, saying so. QEMU listens with a backlog of one: when it
 * does not accept (it is stopped, or the socket is held) and waiting clients fill that queue, the
 * connect itself fails at its deadline ({@link QmpConnectTimeoutException}). {@link #connectFirst}
 * waits on several sockets of one QEMU at once and takes the first that is served.
 */
public final class QmpClient implements AutoCloseable {
  private static final long RETRY_MILLIS = 10;

  private final Session session;
  private final QmpOptions options;
  private final QmpGreeting greeting;
  private final boolean oob;
  private final OptionalLong peerPid;
  private final Path socket;

  QmpClient(
      Session session, QmpOptions options, QmpGreeting greeting, boolean oob, OptionalLong pid) {
    this.session = session;
    this.options = options;
    this.greeting = greeting;
    this.oob = oob;
    this.peerPid = pid;
    this.socket = Path.of(session.where());
  }

  /** Connects with {@link QmpOptions#defaults()}. */
  public static QmpClient connect(Path socket) {
    return connect(socket, QmpOptions.defaults());
  }

  /**
   * Connects, reads the greeting (skipping events sent before it) and negotiates; returns once QEMU
   * answered {@code qmp_capabilities}. QEMU has {@link QmpOptions#connectTimeout()} to accept the
   * connection, then as long again from that moment to start serving it: the first bytes of its
   * greeting (QEMU greets only the one client it serves on a socket); what arrived counts, not when
   * this JVM got round to parsing it. The rest of the greeting and the reply to {@code
   * qmp_capabilities} then have {@link QmpOptions#commandTimeout()}.
   *
   * @throws QmpConnectionException when nothing listens at {@code socket} or QEMU hung up; also
   *     when QEMU refused the negotiation (the {@link QmpCommandException} is the cause)
   * @throws QmpConnectTimeoutException when QEMU did not accept the connection in time (its listen
   *     backlog is full: QEMU is stopped, or clients wait for a socket another client holds)
   * @throws QmpTimeoutException when no greeting came (another client probably holds the socket) or
   *     no reply to {@code qmp_capabilities}
   * @throws QmpProtocolException when QEMU sent something that is not QMP
   */
  public static QmpClient connect(Path socket, QmpOptions options) {
    Objects.requireNonNull(socket, "socket");
    return Connect.alone(socket, options);
  }

  /**
   * Connects to whichever of {@code sockets} (of one QEMU) QEMU serves first. QEMU serves one
   * client per socket; a client that finds it held waits, and is served once the other one leaves.
   * The first socket is preferred: the next one is tried too once the one before has waited {@code
   * stagger} unserved since its socket connected (or failed). Every attempt keeps its place in
   * QEMU's queue until one is served; that one goes on to the handshake, the others are closed.
   * Waits up to {@link QmpOptions#connectTimeout()} in all for a socket to be served; the handshake
   * then has {@link QmpOptions#commandTimeout()}. Each attempt runs on a thread of its own.
   *
   * @throws QmpTimeoutException when no socket was served in time (each attempt's failure
   *     suppressed in it)
   * @throws QmpException the failure of the socket QEMU served (e.g. a protocol error); when every
   *     attempt failed without waiting (e.g. no socket exists), the first socket's
   */
  public static QmpClient connectFirst(List<Path> sockets, QmpOptions options, Duration stagger) {
    sockets.forEach(s -> Objects.requireNonNull(s, "socket"));
    Objects.requireNonNull(stagger, "stagger");
    return ConnectRace.connect(sockets, options, stagger);
  }

  /**
   * Connects to a QEMU that is still starting: until {@code wait} has passed, and while {@code
   * keepTrying} holds (e.g. {@code process::isAlive}), a socket that does not exist yet or refuses
   * (QEMU creates the file just before it listens) is tried again every {@value #RETRY_MILLIS} ms;
   * then it is {@link #connect(Path, QmpOptions)}.
   *
   * @throws QmpConnectionException when nobody listened in time, or the last error otherwise
   */
  public static QmpClient connectWhenListening(
      Path socket, QmpOptions options, Duration wait, BooleanSupplier keepTrying) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      try {
        return connect(socket, options);
      } catch (QmpConnectionException e) {
        boolean retry =
            e.getCause() instanceof IOException io
                && UnixSocketTransport.notListening(io, socket)
                && System.nanoTime() - deadline < 0
                && keepTrying.getAsBoolean();
        if (!retry) {
          throw e;
        }
      }
      try {
        Thread.sleep(RETRY_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new QmpInterruptedException("connect QMP " + socket, e);
      }
    }
  }

  /** Runs {@code command} with the default deadline and returns its typed result. */
  public <R> R call(Command<R> command) {
    return call(command, options.commandTimeout());
  }

  /**
   * Runs {@code command}, waiting at most {@code timeout} for QEMU's reply.
   *
   * @throws QmpCommandException QEMU answered with an error
   * @throws QmpTimeoutException no reply in time (QEMU may still run the command; a late reply is
   *     dropped)
   * @throws QmpDisconnectedException the connection ended first ({@link Quit} succeeds then)
   * @throws QmpProtocolException the reply does not have the shape of the command's result
   */
  public <R> R call(Command<R> command, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Pending p = session.send(command, timeout, deadline);
    return Calls.result(command, awaitReply(p, command, timeout, deadline));
  }

  private Message awaitReply(Pending p, Command<?> command, Duration timeout, long deadline) {
    try {
      session.await(p, deadline);
      if (!p.reply.isDone()) {
        QmpTimeoutException t = Calls.timeout(command, timeout);
        if (p.reply.completeExceptionally(t)) {
          throw t;
        }
      }
      return p.reply.get(); // done: the reply, or the disconnect that won the race
    } catch (ExecutionException e) {
      throw Calls.failure(command, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QmpInterruptedException(CommandText.describe(command), e);
    }
  }

  /** {@link #callAsync(Command, Duration)} with the default deadline. */
  public <R> CompletableFuture<R> callAsync(Command<R> command) {
    return callAsync(command, options.commandTimeout());
  }

  /**
   * Sends {@code command} and returns at once (after waiting, within the deadline, only for the
   * previous fd-carrying command or a free OOB slot). The future fails with the exceptions {@link
   * #call(Command, Duration)} throws; its continuations never run on the reader thread.
   */
  public <R> CompletableFuture<R> callAsync(Command<R> command, Duration timeout) {
    Pending p;
    try {
      p = session.send(command, timeout, System.nanoTime() + timeout.toNanos());
    } catch (QmpException e) {
      return CompletableFuture.failedFuture(e);
    }
    ScheduledFuture<?> timer =
        Shared.TIMER.schedule(
            () -> p.reply.completeExceptionally(Calls.timeout(command, timeout)),
            timeout.toNanos(),
            TimeUnit.NANOSECONDS);
    CompletableFuture<R> out = new CompletableFuture<>();
    p.reply.whenCompleteAsync(
        (reply, failure) -> {
          timer.cancel(false);
          try {
            out.complete(Calls.result(command, reply, failure));
          } catch (RuntimeException e) {
            out.completeExceptionally(e);
          }
        },
        Shared.CALLBACKS);
    return out;
  }

  /** Runs any command by name; {@code arguments} may be null. Returns QEMU's {@code return}. */
  public JsonNode execute(String name, ObjectNode arguments) {
    return call(new Execute(name, arguments));
  }

  /** {@link #execute(String, ObjectNode)} with a deadline. */
  public JsonNode execute(String name, ObjectNode arguments, Duration timeout) {
    return call(new Execute(name, arguments), timeout);
  }

  /**
   * Removes a device and waits for QEMU's {@code DEVICE_DELETED} for it, up to {@link
   * QmpOptions#deviceDeletedTimeout()}. See {@link #deviceDel(String, Duration)}.
   */
  public void deviceDel(String id) {
    deviceDel(id, options.deviceDeletedTimeout());
  }

  /**
   * Sends {@code device_del} and waits up to {@code eventTimeout} for the {@code DEVICE_DELETED}
   * whose {@code data.device} is {@code id} (subscribed before sending; the path-only event QEMU
   * sends first for a virtio backend is ignored).
   *
   * @throws QmpEventTimeoutException QEMU accepted the request but the device was not released in
   *     time (q35 ACPI hotplug without a cooperating guest): reconcile with {@code qom-list
   *     /machine/peripheral}
   * @throws QmpCommandException QEMU refused, e.g. {@link QmpErrorClass#DEVICE_NOT_FOUND}
   */
  public void deviceDel(String id, Duration eventTimeout) {
    deviceDel(id, options.commandTimeout(), eventTimeout);
  }

  /**
   * {@link #deviceDel(String, Duration)} with {@code commandTimeout} for QEMU's reply to {@code
   * device_del} itself (a {@link QmpTimeoutException} past it; nothing is known of the device).
   */
  public void deviceDel(String id, Duration commandTimeout, Duration eventTimeout) {
    Objects.requireNonNull(id, "id");
    // This thread reads the reply and then the event itself (when no other caller reads): the
    // reader thread does not take the socket in between, so QEMU's event wakes this thread.
    try (EventSubscription deleted =
            subscribe("DEVICE_DELETED", e -> id.equals(e.dataString("device")), 16);
        Reader.Hold reading = session.holdReading()) {
      call(new DeviceDel(id), commandTimeout);
      try {
        deleted.next(eventTimeout);
      } catch (QmpEventTimeoutException e) {
        throw new QmpEventTimeoutException(
            "device_del id="
                + id
                + ": QEMU accepted it but sent no DEVICE_DELETED within "
                + Durations.format(eventTimeout)
                + " (the guest did not release the device; check qom-list "
                + QomList.PERIPHERAL
                + ")",
            "DEVICE_DELETED",
            eventTimeout);
      }
    }
  }

  /** Sends {@code quit}; QEMU closing the connection before its reply counts as success. */
  public void quit() {
    call(new Quit());
  }

  /**
   * Tells {@code listener} of every event from now on, on the thread that reads the connection: it
   * must return at once (hand the work to an executor). Unlike a {@link #subscribe subscription}
   * nothing is queued.
   *
   * @return closing it removes the listener
   */
  public Registration onEvent(java.util.function.Consumer<QmpEvent> listener) {
    return session.listen(Objects.requireNonNull(listener, "listener"));
  }

  /** An event listener's registration ({@link #onEvent}); closing it removes the listener. */
  @FunctionalInterface
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  /** Subscribes to every event named {@code event}. */
  public EventSubscription subscribe(String event) {
    return subscribe(event, e -> true);
  }

  /** Subscribes to the events named {@code event} (null: every event) that pass {@code filter}. */
  public EventSubscription subscribe(String event, Predicate<QmpEvent> filter) {
    return subscribe(event, filter, options.eventQueueCapacity());
  }

  /** Subscribes with a queue of {@code capacity} events. See {@link EventSubscription}. */
  public EventSubscription subscribe(String event, Predicate<QmpEvent> filter, int capacity) {
    return session.subscribe(event, Objects.requireNonNull(filter, "filter"), capacity);
  }

  /** The greeting: QEMU's version and offered capabilities. */
  public QmpGreeting greeting() {
    return greeting;
  }

  /** QEMU's version, from the greeting. */
  public QemuVersion version() {
    return greeting.version();
  }

  /** True when out-of-band execution was negotiated. */
  public boolean oobEnabled() {
    return oob;
  }

  /** The pid of the process that serves this socket (SO_PEERCRED), when the kernel reports one. */
  public OptionalLong peerPid() {
    return peerPid;
  }

  /** The socket this client is connected to. */
  public Path socket() {
    return socket;
  }

  /** The options this client was made with. */
  public QmpOptions options() {
    return options;
  }

  /** False once the connection ended (for any reason). */
  public boolean isConnected() {
    return session.isConnected();
  }

  /**
   * Completes, with the reason, the moment the connection ends: EOF (QEMU exited or crashed), an
   * I/O error, a protocol violation or {@link #close()}. A supervisor chains on it.
   */
  public CompletableFuture<QmpDisconnectedException> disconnected() {
    return session.disconnected().copy();
  }

  /** Closes the connection; pending calls fail with {@link QmpDisconnectedException}. */
  @Override
  public void close() {
    session.close();
  }
}
