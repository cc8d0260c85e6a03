package org.vmm4j.core.internal.vm;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmm4j.core.api.StopException;
import org.vmm4j.core.api.StopOutcome;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.qmp.QmpException;
import org.vmm4j.qmp.Quit;

/**
 * Ends a QEMU: QMP {@code quit}, then SIGTERM, then SIGKILL, each followed by a wait for the exit
 * with its own deadline. The wait reaps QEMU when this JVM is its parent; otherwise it ends when
 * the pid is gone or a zombie (only the parent can reap it).
 */
public final class Stopper {
  private static final Logger LOG = LoggerFactory.getLogger(Stopper.class);

  /**
   * The three deadlines.
   *
   * @param quit after {@code quit} (its reply included)
   * @param term after SIGTERM
   * @param kill after SIGKILL
   */
  public record Deadlines(Duration quit, Duration term, Duration kill) {}

  private Stopper() {}

  /**
   * Stops {@code qemu}.
   *
   * @param what names the process in errors ({@code "sandbox ID: QEMU"})
   * @param qmp its QMP connection, or null when there is none (straight to SIGTERM)
   * @throws StopException when it is still alive after SIGKILL's deadline
   */
  public static StopOutcome stop(String what, HostProcess qemu, QmpClient qmp, Deadlines d) {
    if (!qemu.isAlive()) {
      return StopOutcome.ALREADY_GONE;
    }
    if (qmp != null && qmp.isConnected()) {
      long start = System.nanoTime();
      try {
        qmp.call(new Quit(), d.quit());
      } catch (QmpException e) {
        LOG.info("{} {}: quit failed ({}); SIGTERM next", what, qemu, e.getMessage());
      }
      Duration left = d.quit().minusNanos(System.nanoTime() - start);
      if (qemu.awaitExit(left.isNegative() ? Duration.ZERO : left)) {
        return StopOutcome.QUIT;
      }
      LOG.info("{} {}: still alive {} after quit; SIGTERM", what, qemu, Deadline.text(d.quit()));
    }
    return signal(what, qemu, d);
  }

  /** SIGTERM (and SIGCONT when it is stopped, so that it acts on it), then SIGKILL. */
  public static StopOutcome signal(String what, HostProcess p, Deadlines d) {
    if (!p.isAlive()) {
      return StopOutcome.ALREADY_GONE;
    }
    p.terminate();
    if (p.isStopped()) {
      // SIGTERM stays pending while it is stopped; continued, QEMU shuts down cleanly on it
      LOG.info("{} {}: stopped (SIGSTOP); SIGCONT so that it acts on SIGTERM", what, p);
      p.resume();
    }
    if (p.awaitExit(d.term())) {
      return StopOutcome.SIGTERM;
    }
    LOG.info("{} {}: still alive {} after SIGTERM; SIGKILL", what, p, Deadline.text(d.term()));
    p.kill();
    if (p.awaitExit(d.kill())) {
      return StopOutcome.SIGKILL;
    }
    throw new StopException(
        what + " " + p + " is still alive " + Deadline.text(d.kill()) + " after SIGKILL");
  }
}
