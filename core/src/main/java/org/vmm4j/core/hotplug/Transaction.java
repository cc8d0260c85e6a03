package org.vmm4j.core.hotplug;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One hotplug as a transaction (DESIGN decision 4): each completed step registers its undo; on
 * failure the undos run in reverse order. The first undo that fails stops the rollback, because the
 * earlier steps' undos depend on it (a backend is in use while its device exists; a slot must not
 * be freed while QEMU may hold a device there): what was not undone is reported.
 */
final class Transaction {
  private record Undo(String what, Runnable action) {}

  private final String sandboxId;
  private final String operation;
  private final Deque<Undo> undos = new ArrayDeque<>();

  Transaction(String sandboxId, String operation) {
    this.sandboxId = sandboxId;
    this.operation = operation;
  }

  /** Registers the undo of a step that completed. */
  void undo(String what, Runnable action) {
    undos.push(new Undo(what, action));
  }

  /** The operation, for messages: {@code sandbox sb1: hotplug ...}. */
  String describe() {
    return "sandbox " + sandboxId + ": " + operation;
  }

  /**
   * Undoes the completed steps and returns the exception to throw. A refusal before any step passes
   * through as it is; one after some steps stays a refusal, with what was rolled back.
   */
  HotplugException rollback(RuntimeException cause) {
    if (cause instanceof HotplugRefusedException r && undos.isEmpty()) {
      return r;
    }
    List<String> done = new ArrayList<>();
    while (!undos.isEmpty()) {
      Undo u = undos.pop();
      try {
        u.action().run();
        done.add(u.what());
      } catch (RuntimeException e) {
        List<String> left = new ArrayList<>(List.of(u.what()));
        undos.forEach(x -> left.add(x.what()));
        cause.addSuppressed(e);
        return new HotplugException(
            describe()
                + ": "
                + cause.getMessage()
                + rolledBack(done)
                + "; rollback stopped: "
                + u.what()
                + ": "
                + e.getMessage()
                + "; left in place: "
                + String.join(", ", left),
            cause,
            left);
      }
    }
    if (cause instanceof HotplugRefusedException) {
      // refused once the first steps were done: still a refusal, and its message names the
      // operation
      return new HotplugRefusedException(cause.getMessage() + rolledBack(done));
    }
    return new HotplugException(describe() + ": " + cause.getMessage() + rolledBack(done), cause);
  }

  private static String rolledBack(List<String> done) {
    return done.isEmpty() ? "" : "; rolled back: " + String.join(", ", done);
  }
}
