package org.vmm4j.examples;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.vmm4j.core.api.SandboxEvent;
import org.vmm4j.core.api.SandboxEvent.DeviceAdded;
import org.vmm4j.core.api.SandboxEvent.DeviceRemoved;
import org.vmm4j.core.api.SandboxEvent.DriftFound;
import org.vmm4j.core.api.SandboxEvent.QemuExited;
import org.vmm4j.core.api.SandboxListener;

/**
 * A {@link SandboxListener} that prints every event and keeps it, so that the main thread can wait
 * for one with a deadline. vmm4j calls it on its one event thread ({@code vmm4j-events}), in order,
 * after the change was saved: it must return quickly, and a program that exits right after a change
 * has to wait for the event it wants to see (the event thread is a daemon).
 */
final class EventPrinter implements SandboxListener {
  private final PrintStream out;
  private final BlockingQueue<SandboxEvent> heard = new LinkedBlockingQueue<>();

  EventPrinter(PrintStream out) {
    this.out = out;
  }

  @Override
  public void onEvent(SandboxEvent event) {
    out.println("event: " + describe(event));
    heard.add(event);
  }

  /** One line per event kind (the interface is sealed: these four are all there are). */
  static String describe(SandboxEvent e) {
    if (e instanceof DeviceAdded a) {
      return "device added: " + a.device().kind().cliName() + " " + a.device().id();
    } else if (e instanceof DeviceRemoved r) {
      return "device removed: "
          + r.device().kind().cliName()
          + " "
          + r.device().id()
          + (r.requested() ? "" : " (not requested: the guest or another QMP client removed it)");
    } else if (e instanceof QemuExited x) {
      return x.describe() + (x.requested() ? " (stopped by vmm4j)" : " (unexpectedly)");
    } else if (e instanceof DriftFound d) {
      return "drift found by reconcile: " + d.report();
    }
    return e.toString();
  }

  /**
   * Waits up to {@code deadline} for an event of {@code type} matching {@code which}, taking it and
   * every event heard before it.
   *
   * @throws IllegalStateException when none came in time
   */
  <E extends SandboxEvent> E await(Class<E> type, Predicate<E> which, Duration deadline)
      throws InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    for (long left = deadline.toNanos(); left > 0; left = end - System.nanoTime()) {
      SandboxEvent e = heard.poll(left, TimeUnit.NANOSECONDS);
      if (type.isInstance(e) && which.test(type.cast(e))) {
        return type.cast(e);
      }
    }
    throw new IllegalStateException(
        "no " + type.getSimpleName() + " event within " + deadline.toMillis() + " ms");
  }
}
