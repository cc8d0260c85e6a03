package org.vmm4j.qmp;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The start of a connection, read on the connecting thread (the reader thread starts after it):
 * QEMU starts serving the connection (the first bytes of its greeting: QEMU greets only the one
 * client it serves on a socket), then the whole greeting, then the reply to {@code
 * qmp_capabilities}. Whether QEMU serves the connection is decided by what arrived on the socket,
 * not by when this JVM got round to parsing it.
 */
final class Handshake {
  private Handshake() {}

  /**
   * Waits until QEMU sends anything.
   *
   * @param waited the wait, for the message
   * @throws QmpTimeoutException when nothing came by {@code servedBy} (another client probably
   *     holds the socket)
   */
  static void awaitServed(Session session, long servedBy, Duration waited) {
    boolean served;
    try {
      served = session.reader().awaitFirstBytes(servedBy);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QmpInterruptedException("connect QMP " + session.where(), e);
    }
    if (served) {
      return;
    }
    if (!session.isConnected()) {
      throw failed(session, session.failure());
    }
    throw new QmpTimeoutException(
        "connect QMP "
            + session.where()
            + ": no greeting within "
            + Durations.format(waited)
            + "; another client probably holds the socket (QEMU serves one client per socket)",
        waited);
  }

  /** Once QEMU serves the connection: its greeting, read whole by {@code deadline}. */
  static QmpGreeting awaitGreeting(Session session, Duration timeout, long deadline) {
    try {
      session.reader().await(session.greeting()::isDone, deadline, true, () -> {});
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QmpInterruptedException("connect QMP " + session.where(), e);
    }
    CompletableFuture<QmpGreeting> g = session.greeting();
    if (!g.isDone()) {
      throw new QmpTimeoutException(
          "connect QMP "
              + session.where()
              + ": QEMU began its greeting but did not end it within "
              + Durations.format(timeout),
          timeout);
    }
    try {
      return g.join();
    } catch (CompletionException e) {
      throw failed(session, e.getCause());
    }
  }

  /**
   * Sends {@code qmp_capabilities} and reads its reply by {@code deadline}.
   *
   * @throws QmpConnectionException also when QEMU refused it
   */
  static void negotiate(Session session, Command<Void> caps, Duration timeout, long deadline) {
    Pending p = session.send(caps, timeout, deadline);
    try {
      session.await(p, deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QmpInterruptedException("connect QMP " + session.where(), e);
    }
    if (!p.reply.isDone()) {
      throw new QmpTimeoutException(
          "connect QMP "
              + session.where()
              + ": no reply to qmp_capabilities within "
              + Durations.format(timeout),
          timeout);
    }
    Message reply;
    try {
      reply = p.reply.join();
    } catch (CompletionException e) {
      throw failed(session, e.getCause());
    }
    try {
      Calls.result(caps, reply);
    } catch (QmpCommandException e) {
      throw new QmpConnectionException(
          "connect QMP " + session.where() + ": QEMU refused " + e.getMessage(), e);
    }
  }

  private static QmpException failed(Session session, Throwable cause) {
    if (cause instanceof QmpDisconnectedException d) {
      Throwable why = d.getCause();
      if (why instanceof QmpProtocolException p) {
        return new QmpProtocolException(
            "connect QMP " + session.where() + ": " + p.getMessage(), p);
      }
      String own = "QMP " + session.where() + ": ";
      String m =
          d.getMessage().startsWith(own) ? d.getMessage().substring(own.length()) : d.getMessage();
      return new QmpConnectionException("connect QMP " + session.where() + ": " + m, d);
    }
    return cause instanceof QmpException q
        ? q
        : new QmpProtocolException(String.valueOf(cause), cause);
  }
}
