package org.vmm4j.qmp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * {@link QmpClient#connectFirst}: one {@link Connect} per socket, each on a thread of its own, the
 * next one started once the one before has waited {@code stagger} without QEMU serving it (or
 * failed). Earlier attempts keep waiting in QEMU's queue, so whichever socket frees up first is
 * taken; the first attempt QEMU serves goes on to the handshake, every other one is closed (which
 * gives its place in the queue back).
 */
final class ConnectRace {
  /** Beyond an attempt's own deadline, for its thread to report. */
  private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final List<Path> sockets;
  private final QmpOptions options;
  private final Duration stagger;
  private final long deadline;
  private final List<Connect> attempts = new ArrayList<>();
  private Connect winner; // guarded by this

  private ConnectRace(List<Path> sockets, QmpOptions options, Duration stagger) {
    this.sockets = List.copyOf(sockets);
    this.options = options;
    this.stagger = stagger;
    this.deadline = System.nanoTime() + options.connectTimeout().toNanos();
  }

  static QmpClient connect(List<Path> sockets, QmpOptions options, Duration stagger) {
    if (sockets.isEmpty()) {
      throw new IllegalArgumentException("no socket to connect to");
    }
    return new ConnectRace(sockets, options, stagger).run();
  }

  private QmpClient run() {
    boolean won = false;
    try {
      for (int i = 0; i < sockets.size(); i++) {
        Connect a = new Connect(sockets.get(i), options, deadline, false, this::claim, this::tell);
        synchronized (this) {
          attempts.add(a);
        }
        a.start();
        if (i + 1 < sockets.size() && !awaitStale(a)) {
          break;
        }
      }
      QmpClient c = awaitWinner();
      won = true;
      return c;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QmpInterruptedException("connect QMP " + names(), e);
    } finally {
      for (Connect a : snapshot()) {
        if (!won || a != winner()) {
          a.cancel();
        }
      }
    }
  }

  /**
   * Whether {@code a}, just served, goes on: not when another attempt won, nor when an earlier
   * socket (preferred) has been served too and is still in the race.
   */
  private synchronized boolean claim(Connect a) {
    if (winner != null) {
      return false;
    }
    for (Connect earlier : attempts.subList(0, attempts.indexOf(a))) {
      if (!earlier.result().isDone() && earlier.heardFrom()) {
        return false;
      }
    }
    winner = a;
    notifyAll();
    return true;
  }

  private synchronized void tell() {
    notifyAll();
  }

  private synchronized Connect winner() {
    return winner;
  }

  private synchronized List<Connect> snapshot() {
    return List.copyOf(attempts);
  }

  /**
   * Waits until {@code a} has waited {@code stagger} without QEMU sending anything on its socket,
   * or failed (true: try the next socket too), or a winner is known or the deadline passed (false).
   * Its wait counts from its socket's connection (or the full backlog it found), not from when its
   * thread began: a slow JVM does not make a free socket look held.
   */
  private synchronized boolean awaitStale(Connect a) throws InterruptedException {
    while (winner == null) {
      long now = System.nanoTime();
      if (now - deadline >= 0) {
        return false;
      }
      if (a.result().isDone()) {
        return true;
      }
      long since = a.waitingSince();
      long staleAt = since + stagger.toNanos();
      boolean stale = since != 0 && now - staleAt >= 0;
      if (stale && !a.heardFrom()) {
        return true;
      }
      long wakeAt = since != 0 && !stale && staleAt - deadline < 0 ? staleAt : deadline;
      TimeUnit.NANOSECONDS.timedWait(this, Math.max(1, wakeAt - now));
    }
    return false;
  }

  /** The winner's client once its handshake ended, or the reason none was served. */
  private QmpClient awaitWinner() throws InterruptedException {
    Connect w;
    synchronized (this) {
      // the attempts' deadline is this one: past it, they report within moments
      while (winner == null && !allFailed()) {
        long left = deadline + GRACE_NANOS - System.nanoTime();
        if (left <= 0) {
          break;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      w = winner;
    }
    if (w == null) {
      throw noneServed();
    }
    try {
      return w.result().get(options.commandTimeout().toNanos() + GRACE_NANOS, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof QmpException q
          ? q
          : new QmpProtocolException("connect QMP " + w.socket() + ": " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw new QmpTimeoutException(
          "connect QMP "
              + w.socket()
              + ": no handshake within "
              + Durations.format(options.commandTimeout()),
          options.commandTimeout());
    }
  }

  private boolean allFailed() {
    return attempts.size() == sockets.size()
        && attempts.stream().allMatch(a -> a.result().isCompletedExceptionally());
  }

  /**
   * No socket was served: a timeout naming every socket when any attempt waited in vain; else
   * (every socket failed otherwise, e.g. none exists) the first socket's failure. The attempts'
   * failures are suppressed in it.
   */
  private QmpException noneServed() {
    List<QmpException> failures = new ArrayList<>();
    boolean waited = false;
    for (Connect a : snapshot()) {
      if (!a.result().isCompletedExceptionally()) {
        waited = true; // still waiting at the deadline
        continue;
      }
      Throwable t = a.result().handle((c, e) -> e).join();
      if (t instanceof QmpException q && !a.cancelled()) {
        failures.add(q);
        waited |= q instanceof QmpTimeoutException || q instanceof QmpConnectTimeoutException;
      }
    }
    boolean own = !failures.isEmpty() && (!waited || sockets.size() == 1);
    QmpException out =
        own
            ? failures.remove(0)
            : new QmpTimeoutException(
                "connect QMP "
                    + names()
                    + ": QEMU "
                    + switch (sockets.size()) {
                      case 1 -> "did not serve it";
                      case 2 -> "served neither";
                      default -> "served none of them";
                    }
                    + " within "
                    + Durations.format(options.connectTimeout())
                    + " (it serves one client per socket: other clients hold them, or QEMU is"
                    + " stopped)",
                options.connectTimeout());
    failures.forEach(out::addSuppressed);
    return out;
  }

  private String names() {
    return sockets.stream().map(Path::toString).collect(Collectors.joining(" or "));
  }
}
