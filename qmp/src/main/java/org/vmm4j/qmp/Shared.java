package org.vmm4j.qmp;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads shared by every client: one timer for deadlines of asynchronous calls and watchdogs, and
 * a pool that runs the continuations of asynchronous calls (never the reader thread). Daemons: they
 * do not keep the JVM alive.
 */
final class Shared {
  static final ScheduledThreadPoolExecutor TIMER = timer();
  static final ExecutorService CALLBACKS = Executors.newCachedThreadPool(daemons("qmp-callback"));

  private Shared() {}

  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, daemons("qmp-timer"));
    t.setRemoveOnCancelPolicy(true);
    return t;
  }

  static ThreadFactory daemons(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
