package org.vmm4j.network;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The undo actions of a set-up, newest first. Each step that changes the host registers how to put
 * it back right after it succeeds; a failure unwinds what was done, and so does teardown. A step
 * whose product disappears with an earlier step's undo (a qdisc on a tap that will be deleted)
 * registers nothing.
 */
final class UndoLog {
  private static final Logger LOG = LoggerFactory.getLogger(UndoLog.class);

  /** One undo action. */
  @FunctionalInterface
  interface Undo {
    void run();
  }

  private record Step(String what, Undo undo) {}

  private final Deque<Step> steps = new ArrayDeque<>();

  /** Registers the undo of a step that just succeeded. */
  void add(String what, Undo undo) {
    steps.push(new Step(what, undo));
  }

  int size() {
    return steps.size();
  }

  /** What would be undone, newest first (for logs and tests). */
  List<String> pending() {
    return steps.stream().map(Step::what).toList();
  }

  /**
   * Runs every undo, newest first, continuing past failures.
   *
   * @return the failures (empty when everything was put back)
   */
  List<RuntimeException> unwind() {
    List<RuntimeException> failures = new ArrayList<>();
    while (!steps.isEmpty()) {
      Step s = steps.pop();
      try {
        s.undo().run();
      } catch (RuntimeException e) {
        LOG.warn("undo '{}' failed: {}", s.what(), e.getMessage());
        failures.add(e);
      }
    }
    return failures;
  }

  /** Unwinds after {@code cause}; undo failures are attached to it as suppressed. */
  void rollback(Throwable cause) {
    LOG.debug("rolling back {} steps after: {}", steps.size(), cause.getMessage());
    for (RuntimeException e : unwind()) {
      cause.addSuppressed(e);
    }
  }
}
