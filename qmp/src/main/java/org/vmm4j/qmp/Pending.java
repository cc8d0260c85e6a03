package org.vmm4j.qmp;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A command sent (or being sent) whose reply has not arrived. It stays registered after its caller
 * gave up, so that a late reply is recognised and dropped, never handed to another command. The
 * permits it holds (one fd-carrying command at a time; the OOB in-flight limit) are released when
 * QEMU answers or the connection ends, not when the caller times out.
 */
final class Pending {
  final long id;
  final Command<?> command;
  final CompletableFuture<Message> reply = new CompletableFuture<>();
  private final Semaphore[] permits;

  /** The thread blocked in a call for this reply, to wake when it arrives (or null). */
  volatile Thread waiter;

  private final AtomicBoolean released = new AtomicBoolean();

  Pending(long id, Command<?> command, Semaphore... permits) {
    this.id = id;
    this.command = command;
    this.permits = permits;
  }

  boolean isQuit() {
    return "quit".equals(command.commandName());
  }

  void wakeWaiter() {
    Thread t = waiter;
    if (t != null && t != Thread.currentThread()) {
      LockSupport.unpark(t);
    }
  }

  void releasePermits() {
    if (released.compareAndSet(false, true)) {
      for (Semaphore s : permits) {
        s.release();
      }
    }
  }
}
