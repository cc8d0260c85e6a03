package org.vmm4j.qmp;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The start of a connection: greeting, then {@code qmp_capabilities}, within one deadline. */
final class Handshake {
  private Handshake() {}

  static QmpGreeting awaitGreeting(Session session, Duration timeout, long deadline) {
    try {
      return session.greeting().get(remaining(deadline), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new QmpTimeoutException(
          "connect QMP "
              + session.where()
              + ": no greeting within "
              + Durations.format(timeout)
              + "; another client probably holds the socket (QEMU serves one client per socket)",
          timeout);
    } catch (ExecutionException e) {
      throw failed(session, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QmpInterruptedException("connect QMP " + session.where(), e);
    }
  }

  static void negotiate(Session session, Command<Void> caps, Duration timeout, long deadline) {
    Pending p = session.send(caps, timeout, deadline);
    Message reply;
    try {
      reply = p.reply.get(remaining(deadline), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new QmpTimeoutException(
          "connect QMP "
              + session.where()
              + ": no reply to qmp_capabilities within "
              + Durations.format(timeout),
          timeout);
    } catch (ExecutionException e) {
      throw failed(session, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QmpInterruptedException("connect QMP " + session.where(), e);
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
      return new QmpConnectionException(
          "connect QMP " + session.where() + ": " + d.getMessage(), d);
    }
    return cause instanceof QmpException q
        ? q
        : new QmpProtocolException(String.valueOf(cause), cause);
  }

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }
}
