package org.vmm4j.testing.qmp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What a {@link FakeQmpServer} received and what went wrong, safe to read from the test thread. */
final class FakeQmpRecord {
  private final List<ReceivedQmpCommand> received = new ArrayList<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();

  /** Records a command and wakes {@link #await} callers. */
  void add(ReceivedQmpCommand cmd) {
    synchronized (received) {
      received.add(cmd);
      received.notifyAll();
    }
  }

  /** Records something that fails the test in {@link #verify(Path)}. */
  void problem(String problem) {
    problems.add(problem);
  }

  /** Every command received so far, in order. */
  List<ReceivedQmpCommand> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  /** Waits until a command named {@code name} was received and returns the first one. */
  ReceivedQmpCommand await(String name, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (received) {
      while (true) {
        for (ReceivedQmpCommand c : received) {
          if (c.name().equals(name)) {
            return c;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no " + name + " command within " + timeout + ": " + received);
        }
        try {
          received.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", e);
        }
      }
    }
  }

  /** Throws when a problem was recorded. */
  void verify(Path socketPath) {
    if (!problems.isEmpty()) {
      throw new AssertionError("FakeQmpServer " + socketPath + ": " + problems);
    }
  }
}
