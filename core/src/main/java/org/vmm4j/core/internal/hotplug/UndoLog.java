package org.vmm4j.core.internal.hotplug;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.vmm4j.core.api.HostException;
import org.vmm4j.core.api.HotplugException;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.core.api.Vmm4jException;

/**
 * The undo log of one transaction: each completed step that changed QEMU, the host or the model
 * registers its undo; on failure the undos run newest first. The first undo that fails stops the
 * rollback, because the earlier steps' undos depend on it (a backend is in use while its device
 * exists; a slot must not be freed while QEMU may hold a device there): what was not undone is
 * reported, and the transaction records it (its model still holds it).
 */
final class UndoLog {
  /**
   * @param what for messages (null: bookkeeping of the model that messages do not name)
   * @param host whether it undoes a step on the host (a tap, a filter), not in QEMU or the model
   */
  private record Undo(String what, Runnable action, boolean host) {}

  private final Deque<Undo> undos = new ArrayDeque<>();

  /**
   * Registers the undo of a step that completed.
   *
   * @param what the undo, for messages; null for bookkeeping of the model alone that messages do
   *     not name (a device's reference count)
   */
  void push(String what, Runnable action) {
    undos.push(new Undo(what, action, false));
  }

  /** Registers the undo of a step on the host; {@link #releaseHost} runs only these. */
  void pushHost(String what, Runnable action) {
    undos.push(new Undo(what, action, true));
  }

  /**
   * QEMU is going away (a launch failed): runs only the host undos, newest first, each whatever the
   * others did, and forgets every undo.
   *
   * @return the failures, in order
   */
  List<RuntimeException> releaseHost() {
    List<RuntimeException> failures = new ArrayList<>();
    while (!undos.isEmpty()) {
      Undo u = undos.pop();
      if (u.host()) {
        try {
          u.action().run();
        } catch (RuntimeException e) {
          failures.add(e);
        }
      }
    }
    return failures;
  }

  boolean isEmpty() {
    return undos.isEmpty();
  }

  /**
   * Undoes the completed steps, newest first, and returns the exception to throw for {@code cause},
   * which happened in {@code operation} ({@code "sandbox sb1: hotplug ..."}). A refusal before any
   * step passes through as it is; one after some steps stays a refusal, with what was rolled back;
   * so does a failure of the host. When an undo fails, the rollback stops and the exception's
   * {@link Vmm4jException#leftInPlace()} names that step and every one before it.
   */
  Vmm4jException rollback(String operation, RuntimeException cause) {
    if (cause instanceof HotplugRefusedException r
        && undos.stream().allMatch(u -> u.what() == null)) {
      undos.forEach(u -> u.action().run());
      undos.clear();
      return r;
    }
    List<String> done = new ArrayList<>();
    while (!undos.isEmpty()) {
      Undo u = undos.pop();
      try {
        u.action().run();
        if (u.what() != null) {
          done.add(u.what());
        }
      } catch (RuntimeException e) {
        List<String> left = new ArrayList<>();
        left.add(String.valueOf(u.what()));
        undos.stream().map(Undo::what).filter(w -> w != null).forEach(left::add);
        undos.clear();
        cause.addSuppressed(e);
        return new HotplugException(
            operation
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
      // refused once the first steps were done: still a refusal, its message names the operation
      return new HotplugRefusedException(cause.getMessage() + rolledBack(done), cause);
    }
    if (cause instanceof HostException && !done.isEmpty()) {
      // the host failed once the first steps were done: still the host's fault
      return new HostException(cause.getMessage() + rolledBack(done), cause);
    }
    if (done.isEmpty() && cause instanceof Vmm4jException v) {
      return v;
    }
    return new HotplugException(operation + ": " + cause.getMessage() + rolledBack(done), cause);
  }

  /** Forgets every undo: the steps so far stay, whatever happens next. */
  void clear() {
    undos.clear();
  }

  private static String rolledBack(List<String> done) {
    return done.isEmpty() ? "" : "; rolled back: " + String.join(", ", done);
  }
}
