package org.vmm4j.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.SandboxSummary;
import org.vmm4j.core.api.StopOutcome;
import org.vmm4j.core.internal.vm.SandboxStates;
import org.vmm4j.core.internal.vm.Teardown;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.PersistException;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.persist.StateFormatException;
import org.vmm4j.persist.StateNotFoundException;
import org.vmm4j.persist.StoreException;
import org.vmm4j.persist.StoreLock;
import org.vmm4j.persist.StoredSandbox;

/**
 * What any process may do to a sandbox it does not hold, by id under the store's lock: the bodies
 * of {@link Sandbox#stop(FsStore, String, SandboxOptions)}, {@link Sandbox#delete(FsStore, String,
 * SandboxOptions)} and {@link Sandbox#list(FsStore)}, and the record of an exit nobody asked for.
 */
final class SandboxesById {
  private SandboxesById() {}

  static StopOutcome stop(FsStore store, String id, SandboxOptions options) {
    try (StoreLock lock = store.lockExisting(id, true, options.lockTimeout())) {
      StoredSandbox stored = store.load(id);
      Teardown.Live live =
          SandboxStates.STOPPED.equals(stored.sandbox().state())
              ? new Teardown.Live(null, null, null)
              : Teardown.find(store, stored.sandbox(), options);
      return Teardown.stop(store, stored, live, options);
    }
  }

  /**
   * Stops and removes sandbox {@code id}; one without a state but with a VM directory (a start that
   * was killed), or whose state cannot be read, is removed with the QEMU its pid file names. For an
   * id with neither state nor VM directory nothing is made (no lock file).
   */
  static void delete(FsStore store, String id, SandboxOptions options) {
    try (StoreLock lock =
        store.directoryExists(store.vmDir(id))
            ? store.lock(id, true, options.lockTimeout())
            : store.lockExisting(id, true, options.lockTimeout())) {
      if (!store.exists(id) && Teardown.removeLeftovers(store, id, options)) {
        return;
      }
      StoredSandbox stored;
      try {
        stored = store.load(id);
      } catch (StateFormatException | StoreException e) {
        Teardown.removeUnreadable(store, id, e.getMessage(), options);
        return;
      }
      if (!SandboxStates.STOPPED.equals(stored.sandbox().state())) {
        Teardown.stop(store, stored, Teardown.find(store, stored.sandbox(), options), options);
      }
      Teardown.remove(store, id);
    }
  }

  /**
   * Records that {@code live}'s QEMU exited unasked: when the state still says it runs that QEMU,
   * tears down what is left and saves {@code stopped}; returns the state then saved.
   */
  static Optional<SandboxState> recordExit(
      FsStore store, String id, Teardown.Live live, SandboxOptions options) {
    try (StoreLock lock = store.lock(id, true, options.lockTimeout())) {
      if (!store.exists(id)) {
        return Optional.empty();
      }
      StoredSandbox current = store.load(id);
      SandboxState st = current.sandbox();
      if (!SandboxStates.RUNNING.equals(st.state())
          || st.hypervisorState().pid() != live.qemu().pid()) {
        return Optional.empty();
      }
      Teardown.stop(store, current, live, options);
      return Optional.of(store.load(id).sandbox());
    }
  }

  /**
   * Every sandbox with a state file; one whose state cannot be read (or that the store refuses a
   * path of) is {@link SandboxSummary#BROKEN}, one removed meanwhile is left out.
   */
  static List<SandboxSummary> list(FsStore store) {
    List<SandboxSummary> all = new ArrayList<>();
    for (String id : store.list()) {
      SandboxState s;
      try {
        s = store.load(id).sandbox();
      } catch (StateNotFoundException e) {
        continue;
      } catch (PersistException e) {
        all.add(SandboxSummary.broken(id, e.getMessage()));
        continue;
      }
      all.add(new SandboxSummary(id, liveState(s), s.hypervisorState().pid()));
    }
    return all;
  }

  private static String liveState(SandboxState s) {
    return SandboxStates.RUNNING.equals(s.state()) && !Teardown.qemuAlive(s)
        ? SandboxSummary.EXITED
        : s.state();
  }
}
