package org.vmm4j.network;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dedicated platform thread of one {@link NetNs}: it first moves itself into the namespace
 * ({@code setns}, or {@code unshare} when creating one), then runs submitted work one task at a
 * time until stopped. Never a pool thread, never a virtual thread: namespace membership is a
 * property of the OS thread, so this thread never runs anything but this namespace's work.
 */
final class NsThread {
  private static final Logger LOG = LoggerFactory.getLogger(NsThread.class);
  private static final Runnable STOP = () -> {};
  private static final ThreadLocal<String> INSIDE = new ThreadLocal<>();

  private final String what;
  private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean dead;

  /**
   * Starts the thread and waits until {@code enter} (run on it first) is done.
   *
   * @throws NetlinkException what {@code enter} threw, or a timeout
   */
  NsThread(String what, Runnable enter, Duration timeout) {
    this.what = what;
    CompletableFuture<Void> entered = new CompletableFuture<>();
    thread = new Thread(() -> loop(enter, entered), "netns-" + what);
    thread.setDaemon(true);
    thread.start();
    try {
      entered.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw rethrow(e.getCause());
    } catch (TimeoutException e) {
      throw new NetlinkException.Timeout("enter", "netns " + what, "thread not ready in time");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NetlinkException("enter", "netns " + what, "interrupted", 0, e);
    }
  }

  /** The namespace whose thread the caller is, or null. */
  static String current() {
    return INSIDE.get();
  }

  private void loop(Runnable enter, CompletableFuture<Void> entered) {
    INSIDE.set(what);
    try {
      enter.run();
      entered.complete(null);
    } catch (Throwable t) {
      dead = true;
      entered.completeExceptionally(t);
      return;
    }
    try {
      for (Runnable r = queue.take(); r != STOP; r = queue.take()) {
        r.run();
      }
    } catch (InterruptedException e) {
      LOG.warn("netns {} thread interrupted; it stops", what);
    } finally {
      dead = true;
    }
  }

  boolean isCurrent() {
    return Thread.currentThread() == thread;
  }

  /** Runs {@code task} on the namespace thread, waiting at most {@code timeout}. */
  <T> T call(java.util.concurrent.Callable<T> task, String operation, Duration timeout) {
    if (isCurrent()) {
      try {
        return task.call();
      } catch (Exception e) {
        throw rethrow(e);
      }
    }
    if (dead) {
      throw new NetlinkException(operation, "netns " + what, "namespace thread has stopped", 0);
    }
    FutureTask<T> f = new FutureTask<>(task);
    queue.add(f);
    try {
      return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw rethrow(e.getCause());
    } catch (TimeoutException e) {
      throw new NetlinkException.Timeout(
          operation, "netns " + what, "not done within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NetlinkException(operation, "netns " + what, "interrupted", 0, e);
    }
  }

  /** Runs {@code last} on the thread, then stops it; waits for that at most {@code timeout}. */
  void stop(Runnable last, Duration timeout) {
    if (isCurrent()) {
      throw new IllegalStateException("netns " + what + " closed from its own thread");
    }
    if (dead) {
      return;
    }
    queue.add(last);
    queue.add(STOP);
    try {
      thread.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.warn("netns {} thread still busy after {} ms; left to finish", what, timeout.toMillis());
    }
  }

  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new NetlinkException("netns work", "", t.toString(), 0, t);
  }
}
