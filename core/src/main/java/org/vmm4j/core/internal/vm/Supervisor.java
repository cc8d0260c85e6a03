package org.vmm4j.core.internal.vm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmm4j.qmp.QmpClient;

/**
 * Notices that a supervised process (QEMU, virtiofsd) exited without being asked to, and says so
 * once, within a second: through the JDK's exit notification when this JVM is the parent, the QMP
 * connection's {@code disconnected()} future (QEMU closes its sockets as it exits), and polling of
 * the pid in any case. The handler runs on a vmm4j thread of its own, never on a QMP reader thread.
 */
public final class Supervisor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);

  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "vmm4j-supervisor");
            t.setDaemon(true);
            return t;
          });

  private static final java.util.concurrent.ExecutorService HANDLERS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "vmm4j-exit-handler");
            t.setDaemon(true);
            return t;
          });

  private final String name;
  private final HostProcess process;
  private final Consumer<HostProcess> onExit;
  private final List<ScheduledFuture<?>> polls = new ArrayList<>();
  private boolean expected;
  private boolean done;
  private boolean reported;

  private Supervisor(String name, HostProcess process, Consumer<HostProcess> onExit) {
    this.name = name;
    this.process = process;
    this.onExit = onExit;
  }

  /**
   * Starts watching {@code process}.
   *
   * @param name names it in logs ({@code "sandbox ID qemu"})
   * @param qmp its QMP connection (QEMU only), or null
   * @param poll the polling interval
   * @param onExit called once, on a handler thread, if it exits before {@link #expectExit()}
   */
  public static Supervisor watch(
      String name,
      HostProcess process,
      QmpClient qmp,
      Duration poll,
      Consumer<HostProcess> onExit) {
    Supervisor s = new Supervisor(name, process, onExit);
    synchronized (s) {
      process.onExit().ifPresent(f -> f.whenComplete((p, e) -> TIMER.execute(s::check)));
      if (qmp != null) {
        qmp.disconnected().whenComplete((r, e) -> TIMER.execute(s::check));
      }
      long ms = Math.max(1, poll.toMillis());
      s.polls.add(TIMER.scheduleWithFixedDelay(s::check, ms, ms, TimeUnit.MILLISECONDS));
    }
    return s;
  }

  /** From now on an exit is expected (a stop is under way): it is not reported. */
  public synchronized void expectExit() {
    expected = true;
  }

  /** Whether an unexpected exit was seen (and reported). */
  public synchronized boolean exitReported() {
    return reported;
  }

  private void check() {
    synchronized (this) {
      if (done || expected || process.isAlive()) {
        return;
      }
      done = true;
      reported = true;
      polls.forEach(f -> f.cancel(false));
    }
    LOG.warn("{} {} exited unexpectedly ({})", name, process, process.describeExit());
    HANDLERS.execute(
        () -> {
          try {
            onExit.accept(process);
          } catch (RuntimeException e) {
            LOG.error("{}: exit handler failed", name, e);
          }
        });
  }

  /** Stops watching (nothing is reported after this). */
  @Override
  public synchronized void close() {
    expected = true;
    polls.forEach(f -> f.cancel(false));
  }
}
