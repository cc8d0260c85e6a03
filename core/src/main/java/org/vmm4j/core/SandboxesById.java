package org.vmm4j.core;

import java.util.List;
import java.util.Optional;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.SandboxSummary;
import org.vmm4j.core.api.StopOutcome;
import org.vmm4j.core.internal.vm.SandboxStates;
import org.vmm4j.core.internal.vm.Teardown;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.SandboxState;
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
    try (StoreLock lock = store.lock(id, true, options.lockTimeout())) {
      StoredSandbox stored = store.load(id);
      Teardown.Live live =
          SandboxStates.STOPPED.equals(stored.sandbox().state())
              ? new Teardown.Live(null, null, null)
              : Teardown.find(store, stored.sandbox(), options);
      return Teardown.stop(store, stored, live, options);
    }
  }

  static void delete(FsStore store, String id, SandboxOptions options) {
    try (StoreLock lock = store.lock(id, true, options.lockTimeout())) {
      if (!store.exists(id) && Teardown.removeLeftovers(store, id, options)) {
        return;
      }
      StoredSandbox stored = store.load(id);
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

  static List<SandboxSummary> list(FsStore store) {
    return store.list().stream()
        .map(store::load)
        .map(StoredSandbox::sandbox)
        .map(s -> new SandboxSummary(s.sandboxContainer(), liveState(s), s.hypervisorState().pid()))
        .toList();
  }

  private static String liveState(SandboxState s) {
    return SandboxStates.RUNNING.equals(s.state()) && !Teardown.qemuAlive(s)
        ? SandboxSummary.EXITED
        : s.state();
  }
}
